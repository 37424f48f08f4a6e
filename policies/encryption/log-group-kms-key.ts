import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';

export const rule: Rule = {
  id: 'encryption/log-group-kms-key',
  title: 'CloudWatch log group is encrypted with a customer-managed KMS key',
  category: 'encryption',
  severity: 'low',
  rationale:
    'Build and deployment logs often contain secrets a command printed. CloudWatch Logs encrypts them with a service key by default; a customer-managed key adds a second gate (the key policy) and an audit trail of every decryption. ' +
    'Severity (ours): low — the logs are encrypted either way.',
  remediation: 'Set kms_key_id on the aws_cloudwatch_log_group to an aws_kms_key whose policy allows the logs.<region>.amazonaws.com service principal, scoped with kms:EncryptionContext:aws:logs:arn.',
  equivalents: { checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'] },
  check(model) {
    return judgeManaged(model, 'aws_cloudwatch_log_group', judge, model);
  },
};

function judge(group: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const key = keyKind(model, group, group.values.kms_key_id);
  if (key.kind === 'missing') results.push({ node: group, message: 'no kms_key_id: logs are encrypted only with the CloudWatch Logs service key' });
  else if (key.kind === 'aws-managed') results.push({ node: group, message: `kms_key_id is the AWS-managed key ${key.shown}` });
}
