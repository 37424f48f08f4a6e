/** aws_cloudwatch_log_group: ingestion and archive storage, from usage (infracost's keys). */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { fromUsage, shared, str } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_data_ingested_gb', default: 1, description: 'Log data ingested per month, GB' },
  { key: 'storage_gb', default: 1, description: 'Archived log data kept, GB-month (compressed)' },
];

const ingestionName = shared((cls: string) => `Data ingested (${cls})`);
const ingestionId = shared((cls: string) => `cloudwatch.logs.ingestion.${cls.toLowerCase()}`);

export const cloudwatchLogGroup: ResourcePricer = {
  type: 'aws_cloudwatch_log_group',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const cls = str(node.values.log_group_class) ?? 'STANDARD';
    const ingestion = cls === 'STANDARD' ? 'cloudwatch.logs.ingestion' : ingestionId(cls);
    return [
      fromUsage(ctx, USAGE, 'monthly_data_ingested_gb', ingestionName(cls), ingestion),
      fromUsage(ctx, USAGE, 'storage_gb', 'Archive storage', 'cloudwatch.logs.storage'),
    ];
  },
};
