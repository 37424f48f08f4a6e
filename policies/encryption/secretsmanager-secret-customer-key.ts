import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';

export const rule: Rule = {
  id: 'encryption/secretsmanager-secret-customer-key',
  title: 'Secrets Manager secret is encrypted with a customer-managed KMS key',
  category: 'encryption',
  severity: 'low',
  rationale:
    'Without kms_key_id, Secrets Manager uses the AWS-managed aws/secretsmanager key: anyone allowed secretsmanager:GetSecretValue can read the secret, and it cannot be shared with another account. A customer-managed key adds the key policy as a second gate. ' +
    'Severity (ours): low — the secret is encrypted either way.',
  remediation: 'Set kms_key_id on the aws_secretsmanager_secret to an aws_kms_key you manage and grant kms:Decrypt only to the roles that read the secret.',
  equivalents: { checkov: ['CKV_AWS_149'], trivy: ['AVD-AWS-0098'] },
  check(model) {
    return judgeManaged(model, 'aws_secretsmanager_secret', judge, model);
  },
};

function judge(secret: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const key = keyKind(model, secret, secret.values.kms_key_id);
  if (key.kind === 'missing') results.push({ node: secret, message: 'no kms_key_id: the secret uses the AWS-managed aws/secretsmanager key' });
  else if (key.kind === 'aws-managed') results.push({ node: secret, message: `kms_key_id is the AWS-managed key ${key.shown}` });
}
