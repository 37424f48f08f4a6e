import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { backendValues } from '../lib/backend';
import { judgeManaged } from '../lib/judge';
import { block, flag, literal } from '../lib/values';

export const rule: Rule = {
  id: 'reliability/dynamodb-lock-table-protection',
  title: 'Terraform lock table has point-in-time recovery and deletion protection',
  category: 'reliability',
  severity: 'medium',
  rationale:
    'The DynamoDB table a Terraform S3 backend locks with (hash key LockID) is what stops two applies from corrupting state; if it is deleted every run fails until it is rebuilt, and without point-in-time recovery its lock and digest items cannot be restored. ' +
    'A table counts as a lock table when its hash_key is LockID or a backend names it in dynamodb_table. Severity (ours): medium for each missing protection.',
  remediation: 'On the aws_dynamodb_table set deletion_protection_enabled = true and point_in_time_recovery { enabled = true }.',
  equivalents: { checkov: ['CKV_AWS_28'], trivy: ['AVD-AWS-0024'], cdkNag: ['AwsSolutions-DDB3'] },
  check(model) {
    return judgeManaged(model, 'aws_dynamodb_table', judge, backendValues(model, 's3', 'dynamodb_table'));
  },
};

function judge(table: ResourceNode, results: RuleResult[], lockTables: ReadonlySet<string>): void {
  const name = literal(table.values.name);
  const isLock = literal(table.values.hash_key) === 'LockID' || (name !== undefined && lockTables.has(name));
  if (!isLock) return;
  if (flag(block(table.values.point_in_time_recovery)?.enabled, false) === false) {
    results.push({ node: table, message: 'lock table without point-in-time recovery', detail: 'point_in_time_recovery' });
  }
  if (flag(table.values.deletion_protection_enabled, false) === false) {
    results.push({ node: table, message: 'lock table without deletion protection', detail: 'deletion_protection_enabled' });
  }
}
