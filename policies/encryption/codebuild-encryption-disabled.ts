import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { block, blockItems, flag, literal } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/codebuild-encryption-disabled',
  title: 'CodeBuild artifacts and S3 logs are not written unencrypted',
  category: 'encryption',
  severity: 'high',
  rationale:
    'encryption_disabled = true makes CodeBuild write build artifacts or build logs to S3 without its KMS encryption, so anyone who can read the bucket reads the build output (and any secret a build prints) in clear text. ' +
    'Severity (ours): high — an explicit opt-out of encryption for data that routinely carries secrets.',
  remediation: 'Remove encryption_disabled (or set it to false) from artifacts, secondary_artifacts and logs_config.s3_logs of the aws_codebuild_project.',
  equivalents: { checkov: ['CKV_AWS_78'], trivy: ['AVD-AWS-0018'] },
  check(model) {
    return judgeManaged(model, 'aws_codebuild_project', judge, undefined);
  },
};

function judge(project: ResourceNode, results: RuleResult[]): void {
  const artifacts = blockItems(project.values.artifacts);
  for (let i = 0; i < artifacts.length; i++) {
    const a = artifacts[i];
    if (writesUnencrypted(a.encryption_disabled, literal(a.type))) results.push(finding(project, 'artifacts'));
  }
  const secondary = blockItems(project.values.secondary_artifacts);
  for (let i = 0; i < secondary.length; i++) {
    const a = secondary[i];
    if (!writesUnencrypted(a.encryption_disabled, literal(a.type))) continue;
    const id = literal(a.artifact_identifier);
    results.push(finding(project, `secondary_artifacts${id ? `[${id}]` : ''}`));
  }
  const s3Logs = block(block(project.values.logs_config)?.s3_logs);
  if (s3Logs && literal(s3Logs.status) !== 'DISABLED' && writesUnencrypted(s3Logs.encryption_disabled, undefined)) results.push(finding(project, 'logs_config.s3_logs'));
}

/** encryption_disabled = true on a place that writes (NO_ARTIFACTS writes nothing, so the flag is meaningless there). */
function writesUnencrypted(value: unknown, type: string | undefined): boolean {
  return type !== 'NO_ARTIFACTS' && flag(value, false) === true;
}

function finding(project: ResourceNode, where: string): RuleResult {
  return { node: project, message: `${where} has encryption_disabled = true: written to S3 without encryption`, detail: where };
}
