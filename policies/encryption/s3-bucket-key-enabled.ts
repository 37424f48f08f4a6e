import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { block, flag, literal } from '../lib/values';
import { encryptionRulesOf } from '../lib/s3';

export const rule: Rule = {
  id: 'encryption/s3-bucket-key-enabled',
  title: 'S3 bucket with SSE-KMS uses an S3 Bucket Key',
  category: 'encryption',
  severity: 'low',
  rationale:
    'Without a Bucket Key, S3 calls KMS for every object written or read, which costs per request and can reach KMS request quotas on busy artifact buckets; a Bucket Key cuts those calls by reusing a bucket-level data key. ' +
    'Severity (ours): low — cost and throttling, not exposure.',
  remediation: 'Set bucket_key_enabled = true in the rule block of the bucket\'s aws_s3_bucket_server_side_encryption_configuration.',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_s3_bucket', judge, model);
  },
};

function judge(bucket: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const configs = encryptionRulesOf(model, bucket);
  for (let c = 0; c < configs.length; c++) {
    const { source, rules } = configs[c];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const alg = literal(block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
      if (alg !== 'aws:kms') continue;
      if (flag(r.bucket_key_enabled, false) === false) {
        results.push({ node: bucket, message: `SSE-KMS without a Bucket Key${source === bucket ? '' : ` (${source.address})`}: every object operation calls KMS` });
      }
    }
  }
}
