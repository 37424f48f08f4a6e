/** A report with every section filled, for the renderer tests. */
import { buildReport } from '../../auditor/report';
import type { CostReport, Finding, QuotaRow } from '../../auditor/report/contract';
import type { RuleMeta } from '../../policies/rule';

export const RULES: RuleMeta[] = [
  { id: 'iam/admin-star', title: 'No Allow of * on *', category: 'iam', severity: 'critical', rationale: 'Full admin lets a compromised build own the account.', remediation: 'Grant the actions the role needs on the ARNs it uses.', equivalents: { checkov: ['CKV_AWS_62'], cdkNag: ['AwsSolutions-IAM5'] } },
  { id: 'encryption/s3-bucket-sse-kms', title: 'S3 bucket uses a customer KMS key', category: 'encryption', severity: 'high', rationale: 'A customer key gives you control over who can decrypt.', remediation: 'Add an SSE-KMS configuration with your key.' },
  { id: 'reliability/log-retention', title: 'Log groups set retention', category: 'reliability', severity: 'low', rationale: 'Logs kept forever cost money.', remediation: 'Set retention_in_days.' },
];

const LONG = 'arn:aws:iam::123456789012:role/' + 'very-long-role-name-'.repeat(8);

export const FINDINGS: Finding[] = [
  { ruleId: 'iam/admin-star', category: 'iam', severity: 'critical', resource: 'aws_iam_role.build', stack: 'app-prod', message: `role ${LONG} allows * on *`, remediation: 'Grant the actions the role needs on the ARNs it uses.', suppressed: false, suppressionReason: null, file: 'cdktf.out/stacks/app-prod/cdk.tf.json', new: true },
  { ruleId: 'encryption/s3-bucket-sse-kms', category: 'encryption', severity: 'medium', resource: 'aws_s3_bucket.logs[0]', stack: 'app-prod', message: 'default encryption is SSE-S3 (AES256) <not KMS> & "quoted" | piped', remediation: 'Add an SSE-KMS configuration with your key.', suppressed: false, suppressionReason: null, detail: 'AES256', new: false },
  { ruleId: 'reliability/log-retention', category: 'reliability', severity: 'low', resource: 'aws_cloudwatch_log_group.lg', stack: 'app-prod', message: 'log group keeps logs forever', remediation: 'Set retention_in_days.', suppressed: true, suppressionReason: 'audit logs are kept by law', suppressionOrigin: 'gantry.suppressions.yml', suppressionExpires: '2030-01-01', new: false },
  { ruleId: 'encryption/s3-bucket-sse-kms', category: 'encryption', severity: 'high', resource: 'aws_s3_bucket.x', stack: 'base', message: 'ctrl \u0001 char and emoji 🚀', remediation: 'Add an SSE-KMS configuration with your key.', suppressed: false, suppressionReason: null, new: false },
];

export const QUOTAS: QuotaRow[] = [
  { service: 'codepipeline', quotaCode: 'L-03E2D2E1', quotaName: 'Pipelines per Region', region: 'us-east-1', limit: 1000, limitSource: 'snapshot', currentUsage: null, planned: 3, utilization: 0.003, status: 'ok' },
  { service: 'iam', quotaCode: 'L-FE177D64', quotaName: 'Roles per account', region: 'global', limit: 1000, limitSource: 'live', currentUsage: 950, planned: 100, utilization: 1.05, status: 'exceeded' },
];

export const COST: CostReport = {
  currency: 'USD',
  monthlyTotal: 57.25,
  pricing: { source: 'snapshot', asOf: '2025-05-01', region: 'us-east-1' },
  resources: [
    { resource: 'aws_codebuild_project.build', stack: 'app-prod', type: 'aws_codebuild_project', monthly: 50, components: [{ name: 'Build minutes (general1.small)', unit: 'minutes', quantity: 10000, unitPrice: 0.005, monthly: 50 }] },
    { resource: 'aws_codepipeline.p', stack: 'app-prod', type: 'aws_codepipeline', monthly: 1, components: [{ name: 'Active V1 pipeline', unit: 'pipeline', quantity: 1, unitPrice: 1, monthly: 1 }] },
    { resource: 'aws_iam_role.build', stack: 'app-prod', type: 'aws_iam_role', monthly: 0, components: [] },
  ],
  unsupported: [{ resource: 'aws_foo_bar.x', type: 'aws_foo_bar' }],
  diff: { baseMonthlyTotal: 20, monthlyDelta: 37.25, resources: [{ resource: 'aws_codebuild_project.build', stack: 'app-prod', baseMonthly: 12.75, monthly: 50, delta: 37.25 }] },
};

export function sampleReport(over: Partial<Parameters<typeof buildReport>[0]> = {}) {
  return buildReport({ inputs: ['cdktf.out'], findings: FINDINGS, quotas: QUOTAS, cost: COST, failOn: 'high', budget: 40, notes: ['pricing: region eu-west-3 is not in the snapshot'], generatedAt: new Date('2025-06-01T12:00:00Z'), ...over });
}
