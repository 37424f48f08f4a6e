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
      const places: { readonly where: string; readonly value: unknown; readonly type?: string }[] = [];
      for (const a of blocks(project.values.artifacts)) places.push({ where: 'artifacts', value: a.encryption_disabled, type: literal(a.type) });
      for (const a of blocks(project.values.secondary_artifacts)) {
        const id = literal(a.artifact_identifier);
        places.push({ where: `secondary_artifacts${id ? `[${id}]` : ''}`, value: a.encryption_disabled, type: literal(a.type) });
      }
      const s3Logs = block(block(project.values.logs_config)?.s3_logs);
      if (s3Logs && literal(s3Logs.status) !== 'DISABLED') places.push({ where: 'logs_config.s3_logs', value: s3Logs.encryption_disabled });
      for (const p of places) {
        // NO_ARTIFACTS writes nothing, so the flag is meaningless there.
        if (p.type === 'NO_ARTIFACTS') continue;
        if (flag(p.value, false) === true) {
          results.push({ node: project, message: `${p.where} has encryption_disabled = true: written to S3 without encryption`, detail: p.where });
        }
      }
    }
    return results;
  },
};
