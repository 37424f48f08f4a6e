import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';
import { block, flag } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/dynamodb-table-customer-key',
  title: 'DynamoDB table is encrypted with a customer-managed KMS key',
  category: 'encryption',
  severity: 'low',
  rationale:
    'DynamoDB encrypts every table, by default with an AWS-owned key you cannot see or audit; server_side_encryption enabled without kms_key_arn uses the AWS-managed aws/dynamodb key. A customer-managed key puts reads under a key policy you control and in CloudTrail. ' +
    'Severity (ours): low — the data is encrypted either way.',
  remediation: 'Add server_side_encryption { enabled = true, kms_key_arn = <aws_kms_key ARN> } to the aws_dynamodb_table.',
  equivalents: { checkov: ['CKV_AWS_119'], trivy: ['AVD-AWS-0025'] },
  check(model) {
    return judgeManaged(model, 'aws_dynamodb_table', judge, model);
  },
};

function judge(table: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const sse = block(table.values.server_side_encryption);
  const enabled = flag(sse?.enabled, false);
  if (enabled === 'unknown') return;
  if (!enabled) {
    results.push({ node: table, message: 'server_side_encryption is not enabled: the table uses an AWS-owned key' });
    return;
  }
  const key = keyKind(model, table, sse?.kms_key_arn);
  if (key.kind === 'missing') results.push({ node: table, message: 'server_side_encryption has no kms_key_arn: the table uses the AWS-managed aws/dynamodb key' });
  else if (key.kind === 'aws-managed') results.push({ node: table, message: `kms_key_arn is the AWS-managed key ${key.shown}` });
}
