import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { flag, literal } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/kms-key-rotation',
  title: 'KMS key rotates its key material automatically',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'Automatic rotation replaces the key material on a schedule (yearly by default) while keeping old material to decrypt old data, limiting how much data one exposed key version protects. Terraform leaves enable_key_rotation false unless asked. ' +
    'Only symmetric encryption keys support automatic rotation, so asymmetric and HMAC keys are not judged. Severity (ours): medium.',
  remediation: 'Set enable_key_rotation = true on the aws_kms_key (optionally rotation_period_in_days).',
  equivalents: { checkov: ['CKV_AWS_7'], trivy: ['AVD-AWS-0065'], cdkNag: ['AwsSolutions-KMS5'] },
  check(model) {
    return judgeManaged(model, 'aws_kms_key', judge, undefined);
  },
};

function judge(key: ResourceNode, results: RuleResult[]): void {
  const spec = literal(key.values.customer_master_key_spec) ?? 'SYMMETRIC_DEFAULT';
  const usage = literal(key.values.key_usage) ?? 'ENCRYPT_DECRYPT';
  if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') return;
  if (flag(key.values.enable_key_rotation, false) === false) {
    results.push({ node: key, message: 'enable_key_rotation is not true: the key material never rotates' });
  }
}
