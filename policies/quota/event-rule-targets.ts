import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { judgeManaged } from '../lib/judge';
import { attachedTo, NAME_OR_ID } from '../lib/links';
import { isAbsent, literal } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { countedAddress } from './lib/counted';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('events-targets-per-rule');

const busOf = (n: ResourceNode): string | undefined => {
  const v = n.values.event_bus_name;
  return isAbsent(v) ? 'default' : literal(v);
};

/**
 * Counts the aws_cloudwatch_event_target instances (× their count) attached to each EventBridge
 * rule through `rule`, on the same event bus; PutTargets fails past the fixed limit.
 */
export const rule: Rule = {
  id: 'quota/event-rule-targets',
  title: 'EventBridge targets per rule within limits',
  category: 'quota',
  severity: 'high',
  rationale: `PutTargets refuses a target past the fixed number of targets per rule, failing the apply half way. ${LIMIT.cite}.`,
  remediation: 'Add another rule with the same event pattern for the extra targets, or fan out through one SNS topic or Step Functions target.',
  check(model) {
    return judgeManaged(model, 'aws_cloudwatch_event_rule', judge, model);
  },
};


function judge(r: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const targets = attachedTo(model, r, 'aws_cloudwatch_event_target', 'rule', NAME_OR_ID);
  if (targets.length === 0) return;
  const bus = busOf(r);
  let n = 0;
  const via: string[] = [];
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    const tBus = busOf(t);
    if (bus !== undefined && tBus !== undefined && tBus !== bus) continue; // same rule name on another bus
    n += t.count;
    via.push(countedAddress(t));
  }
  if (n > LIMIT.defaultValue) {
    results.push({ node: r, message: `${n} targets (${via.join(', ')}); a rule may have at most ${LIMIT.defaultValue} (fixed; ${LIMIT.source})` });
  }
}
