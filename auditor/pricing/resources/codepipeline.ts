/**
 * aws_codepipeline: V1 pipelines bill per active pipeline per month; V2 pipelines bill per
 * action execution minute (manual approvals and custom actions are not charged).
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { blocks, shared, str, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'active', default: 1, description: 'V1: 1 when at least one code change runs through the pipeline this month (an active pipeline), 0 otherwise' },
  { key: 'monthly_action_execution_mins', default: 0, description: 'V2: action execution minutes per month; when absent, monthly_executions × average_action_mins × billable actions' },
  { key: 'monthly_executions', default: 100, description: 'V2: pipeline executions per month (used when monthly_action_execution_mins is absent)' },
  { key: 'average_action_mins', default: 2, description: 'V2: average minutes per billable action execution, rounded up per action by AWS' },
];

/** Actions AWS charges action-minutes for: everything but manual approvals and custom actions. */
export function billableActions(values: Record<string, unknown>): number {
  let n = 0;
  const stages = blocks(values, 'stage');
  for (let s = 0; s < stages.length; s++) {
    const actions = blocks(stages[s], 'action');
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a];
      if (action.category === 'Approval' || action.owner === 'Custom') continue;
      n += 1;
    }
  }
  return n;
}

const v2Name = shared((actions: number) => `Action execution minutes (V2, ${actions} billable action${actions === 1 ? '' : 's'})`);

export const codepipeline: ResourcePricer = {
  type: 'aws_codepipeline',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const type = str(node.values.pipeline_type) ?? 'V1';
    if (type === 'V2') {
      const explicit = ctx.usage.get('monthly_action_execution_mins');
      if (explicit !== undefined) {
        return [{ name: 'Action execution minutes (V2)', priceId: 'codepipeline.v2.action-minutes', quantity: explicit }];
      }
      const execs = usage(ctx, USAGE, 'monthly_executions');
      const mins = usage(ctx, USAGE, 'average_action_mins');
      const actions = billableActions(node.values);
      return [{
        name: v2Name(actions),
        priceId: 'codepipeline.v2.action-minutes',
        quantity: execs.value * mins.value * actions,
        estimated: execs.estimated || mins.estimated,
      }];
    }
    if (type !== 'V1') ctx.warn(`${node.address}: unknown pipeline_type ${JSON.stringify(node.values.pipeline_type)}; priced as V1`);
    const active = usage(ctx, USAGE, 'active');
    return [{ name: 'Active pipeline (V1)', priceId: 'codepipeline.v1.active', quantity: active.value > 0 ? 1 : 0, estimated: active.estimated }];
  },
};
