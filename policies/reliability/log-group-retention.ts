import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { num } from '../lib/values';

export const rule: Rule = {
  id: 'reliability/log-group-retention',
  title: 'CloudWatch log group sets a retention period',
  category: 'reliability',
  severity: 'low',
  rationale:
    'Without retention_in_days (or with 0) CloudWatch keeps log events forever: storage cost grows with every build, and logs that may contain secrets are never purged. An explicit period also documents how long build and deployment evidence is kept. ' +
    'Severity (ours): low — cost and hygiene.',
  remediation: 'Set retention_in_days on the aws_cloudwatch_log_group to one of the periods CloudWatch accepts (for example 30, 90, 365).',
  equivalents: { checkov: ['CKV_AWS_66'] },
  check(model) {
    return judgeManaged(model, 'aws_cloudwatch_log_group', judge, undefined);
  },
};

function judge(group: ResourceNode, results: RuleResult[]): void {
  const days = num(group.values.retention_in_days);
  if (days === undefined || days === 0) results.push({ node: group, message: 'no retention_in_days: log events are kept forever' });
}
