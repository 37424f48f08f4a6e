/**
 * aws_ssm_parameter: standard parameters are free; advanced parameters bill per parameter per
 * month, and their API interactions are charged.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { fromUsage, str } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_api_interactions', default: 1000, description: 'Advanced parameters: API interactions per month' },
];

export const ssmParameter: ResourcePricer = {
  type: 'aws_ssm_parameter',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const tier = str(node.values.tier) ?? 'Standard';
    if (tier === 'Advanced') {
      return [
        { name: 'Advanced parameter', priceId: 'ssm.parameter.advanced', quantity: 1 },
        fromUsage(ctx, USAGE, 'monthly_api_interactions', 'API interactions (advanced)', 'ssm.parameter.api', 1 / 10000),
      ];
    }
    if (tier === 'Intelligent-Tiering') {
      ctx.warn(`${node.address}: Intelligent-Tiering parameter priced as Standard (AWS promotes it to Advanced only when it needs to)`);
    }
    return [{ name: 'Standard parameter (no charge)', priceId: 'ssm.parameter.standard', quantity: 1 }];
  },
};
