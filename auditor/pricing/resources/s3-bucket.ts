/** aws_s3_bucket: S3 Standard storage (tiered) and requests, from usage (infracost's keys). */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { fromUsage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'standard.storage_gb', default: 5, description: 'S3 Standard storage, GB-month (default: a pipeline artifact store)' },
  { key: 'standard.monthly_tier_1_requests', default: 5000, description: 'PUT, COPY, POST, LIST requests per month' },
  { key: 'standard.monthly_tier_2_requests', default: 20000, description: 'GET, SELECT and other requests per month' },
];

export const s3Bucket: ResourcePricer = {
  type: 'aws_s3_bucket',
  usage: USAGE,
  components(_node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    return [
      fromUsage(ctx, USAGE, 'standard.storage_gb', 'Storage (S3 Standard)', 's3.standard.storage'),
      fromUsage(ctx, USAGE, 'standard.monthly_tier_1_requests', 'PUT, COPY, POST, LIST requests', 's3.standard.tier1-requests', 1 / 1000),
      fromUsage(ctx, USAGE, 'standard.monthly_tier_2_requests', 'GET, SELECT and other requests', 's3.standard.tier2-requests', 1 / 1000),
    ];
  },
};
