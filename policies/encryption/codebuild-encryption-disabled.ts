import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { managed } from '../lib/links';
import { block, blocks, flag, literal } from '../lib/values';

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
    const results: RuleResult[] = [];
    for (const project of managed(model, 'aws_codebuild_project')) {
      for (const a of blocks(project.values.artifacts)) {
        if (writesUnencrypted(a.encryption_disabled, literal(a.type))) results.push(finding(project, 'artifacts'));
      }
      for (const a of blocks(project.values.secondary_artifacts)) {
        if (!writesUnencrypted(a.encryption_disabled, literal(a.type))) continue;
        const id = literal(a.artifact_identifier);
        results.push(finding(project, `secondary_artifacts${id ? `[${id}]` : ''}`));
      }
      const s3Logs = block(block(project.values.logs_config)?.s3_logs);
      if (s3Logs && literal(s3Logs.status) !== 'DISABLED' && writesUnencrypted(s3Logs.encryption_disabled, undefined)) results.push(finding(project, 'logs_config.s3_logs'));
    }
    return results;
  },
};

/** encryption_disabled = true on a place that writes (NO_ARTIFACTS writes nothing, so the flag is meaningless there). */
function writesUnencrypted(value: unknown, type: string | undefined): boolean {
  return type !== 'NO_ARTIFACTS' && flag(value, false) === true;
}

function finding(project: ResourceNode, where: string): RuleResult {
  return { node: project, message: `${where} has encryption_disabled = true: written to S3 without encryption`, detail: where };
}
