import { judgeManaged } from '../lib/judge';
import { attachedTo } from '../lib/links';
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { countedAddress, instanceTotal } from './lib/counted';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('logs-subscription-filters-per-log-group');

/** Subscription filters (× their count) naming each log group through `log_group_name`. */
export const rule: Rule = {
  id: 'quota/log-subscription-filters',
  title: 'CloudWatch Logs subscription filters per log group within limits',
  category: 'quota',
  severity: 'high',
  rationale: `PutSubscriptionFilter fails past the fixed number of subscription filters per log group. ${LIMIT.cite}.`,
  remediation: 'Send the log group to one destination (a Firehose stream or Lambda function) and fan out from there.',
  check(model) {
    return judgeManaged(model, 'aws_cloudwatch_log_group', judge, model);
  },
};

const GROUP_NAME: readonly string[] = Object.freeze(['name']);

function judge(group: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const filters = attachedTo(model, group, 'aws_cloudwatch_log_subscription_filter', 'log_group_name', GROUP_NAME);
  if (filters.length === 0) return;
  const n = instanceTotal(filters);
  if (n > LIMIT.defaultValue) {
    results.push({ node: group, message: `${n} subscription filters (${filters.map(countedAddress).join(', ')}); at most ${LIMIT.defaultValue} per log group (fixed; ${LIMIT.source})` });
  }
}
