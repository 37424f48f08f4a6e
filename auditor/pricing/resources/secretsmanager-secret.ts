/** aws_secretsmanager_secret: per secret per month (each replica counts as a secret) and API calls. */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { blockCount, fromUsage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_requests', default: 1000, description: 'GetSecretValue and other API calls per month' },
];

export const secretsmanagerSecret: ResourcePricer = {
  type: 'aws_secretsmanager_secret',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const replicas = blockCount(node.values, 'replica');
    return [
      { name: replicas ? `Secret (+${replicas} replica${replicas === 1 ? '' : 's'})` : 'Secret', priceId: 'secretsmanager.secret', quantity: 1 + replicas },
      fromUsage(ctx, USAGE, 'monthly_requests', 'API requests', 'secretsmanager.api', 1 / 10000),
    ];
  },
};
