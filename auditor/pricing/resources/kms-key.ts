/**
 * aws_kms_key: $/month per customer managed key, plus one more key-month per rotated backing
 * key for the first two rotations; symmetric API requests from usage.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { fromUsage, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_requests', default: 10000, description: 'API requests (Encrypt, Decrypt, GenerateDataKey …) per month' },
  { key: 'rotations', default: 0, description: 'Automatic rotations so far (each of the first two adds a key-month); default 0: a new key' },
];

export const kmsKey: ResourcePricer = {
  type: 'aws_kms_key',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const out: ComponentRequest[] = [{ name: 'Customer managed key', priceId: 'kms.key', quantity: 1 }];
    if (node.values.enable_key_rotation === true) {
      const r = usage(ctx, USAGE, 'rotations');
      out.push({ name: 'Rotated backing keys (first two rotations)', priceId: 'kms.key', quantity: Math.min(2, r.value), estimated: r.estimated });
    }
    out.push(fromUsage(ctx, USAGE, 'monthly_requests', 'Requests (symmetric)', 'kms.requests', 1 / 10000));
    return out;
  },
};
