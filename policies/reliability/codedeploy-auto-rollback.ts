import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { block, flag, hasString, isDeferred, strings } from '../lib/values';

export const rule: Rule = {
  id: 'reliability/codedeploy-auto-rollback',
  title: 'CodeDeploy deployment group rolls back failed and alarmed deployments',
  category: 'reliability',
  severity: 'high',
  rationale:
    'Without auto_rollback_configuration enabled for DEPLOYMENT_FAILURE, a failed deployment leaves the fleet half-updated until someone notices and redeploys by hand. When alarms watch a deployment but DEPLOYMENT_STOP_ON_ALARM is not a rollback event, an alarm only stops the deployment and leaves the bad revision running. ' +
    'Severity (ours): high without rollback on failure; medium for alarms that do not roll back.',
  remediation:
    'Add auto_rollback_configuration { enabled = true, events = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } to the aws_codedeploy_deployment_group, with an alarm_configuration naming the alarms that mean "this release is bad".',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_codedeploy_deployment_group', judge, undefined);
  },
};

function judge(group: ResourceNode, results: RuleResult[]): void {
  const rollback = block(group.values.auto_rollback_configuration);
  const enabled = flag(rollback?.enabled, false);
  if (enabled === 'unknown' || isDeferred(rollback?.events)) return;
  // The events a rollback happens on: none unless rollback is enabled.
  const events = enabled ? rollback?.events : undefined;
  if (!enabled) {
    results.push({ node: group, message: rollback ? 'auto_rollback_configuration is not enabled: failed deployments are not rolled back' : 'no auto_rollback_configuration: failed deployments are not rolled back', detail: 'DEPLOYMENT_FAILURE' });
  } else if (!hasString(events, 'DEPLOYMENT_FAILURE')) {
    results.push({ node: group, message: `auto rollback events (${strings(events).join(', ') || 'none'}) do not include DEPLOYMENT_FAILURE`, detail: 'DEPLOYMENT_FAILURE' });
  }
  const alarms = block(group.values.alarm_configuration);
  const watched = alarms && strings(alarms.alarms).length > 0 && flag(alarms.enabled, true) !== false;
  if (watched && !hasString(events, 'DEPLOYMENT_STOP_ON_ALARM')) {
    results.push({ node: group, severity: 'medium', message: 'alarms watch deployments, but DEPLOYMENT_STOP_ON_ALARM is not a rollback event: an alarm stops the deployment and leaves the bad revision in place', detail: 'DEPLOYMENT_STOP_ON_ALARM' });
  }
}
