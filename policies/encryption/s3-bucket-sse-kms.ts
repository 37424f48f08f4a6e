import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';
import { encryptionRulesOf } from '../lib/s3';
import { block, isDeferred, literal } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/s3-bucket-sse-kms',
  title: 'S3 bucket encrypts by default with a customer-managed KMS key',
  category: 'encryption',
  severity: 'high',
  rationale:
    'Pipeline artifacts and Terraform state hold source, build output and secrets. With a customer-managed KMS key, reading an object also needs kms:Decrypt on a key whose policy you control and whose every use CloudTrail records. ' +
    'Severity (ours): high when the bucket declares no default encryption at all (S3 then falls back to SSE-S3, applied to new objects since January 2023, and nothing in the code says so); ' +
    'medium for SSE-S3 (AES256) or for aws:kms with no key or the AWS-managed alias/aws/s3 key, whose policy cannot be narrowed.',
  remediation:
    'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with sse_algorithm = "aws:kms" and kms_master_key_id set to an aws_kms_key you manage (rotation enabled), and bucket_key_enabled = true.',
  equivalents: { checkov: ['CKV_AWS_145'], trivy: ['AVD-AWS-0088', 'AVD-AWS-0132'] },
  check(model) {
    return judgeManaged(model, 'aws_s3_bucket', judge, model);
  },
};

function judge(bucket: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const configs = encryptionRulesOf(model, bucket);
  if (configs.length === 0) {
    results.push({ node: bucket, message: 'no default encryption configuration: objects get S3-managed keys (SSE-S3) and no customer-managed KMS key protects them', detail: 'no-encryption-configuration' });
    return;
  }
  for (let c = 0; c < configs.length; c++) {
    const { source, rules } = configs[c];
    for (let i = 0; i < rules.length; i++) {
      const def = block(rules[i].apply_server_side_encryption_by_default);
      const algorithm = def?.sse_algorithm;
      if (isDeferred(algorithm)) continue;
      const alg = literal(algorithm);
      if (alg === undefined || alg === 'AES256') {
        results.push({ node: bucket, severity: 'medium', message: `default encryption is SSE-S3 (AES256)${whereOf(source, bucket)}, not a customer-managed KMS key`, detail: 'AES256' });
        continue;
      }
      if (alg.startsWith('aws:kms')) {
        const key = keyKind(model, source, def?.kms_master_key_id);
        if (key.kind === 'missing') {
          results.push({ node: bucket, severity: 'medium', message: `default encryption is ${alg} with no kms_master_key_id${whereOf(source, bucket)}: S3 uses the AWS-managed aws/s3 key`, detail: 'aws-managed-key' });
        } else if (key.kind === 'aws-managed') {
          results.push({ node: bucket, severity: 'medium', message: `default encryption uses the AWS-managed key ${key.shown}${whereOf(source, bucket)}, not a customer-managed key`, detail: 'aws-managed-key' });
        }
      }
    }
  }
}

/** ` (aws_s3_bucket_server_side_encryption_configuration.x)` when the rule comes from that resource, not the bucket's legacy block. */
function whereOf(source: ResourceNode, bucket: ResourceNode): string {
  return source === bucket ? '' : ` (${source.address})`;
}
