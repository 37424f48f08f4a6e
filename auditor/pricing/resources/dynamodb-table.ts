/**
 * aws_dynamodb_table: on-demand (PAY_PER_REQUEST) request units from usage, or provisioned
 * capacity (table and global secondary indexes) for every hour of the month; storage from usage.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { blocks, fromUsage, HOURS_PER_MONTH, num, str } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_write_request_units', default: 100000, description: 'On-demand: write request units per month' },
  { key: 'monthly_read_request_units', default: 100000, description: 'On-demand: read request units per month' },
  { key: 'storage_gb', default: 1, description: 'Table storage, GB-month (indexes included)' },
];

export const dynamodbTable: ResourcePricer = {
  type: 'aws_dynamodb_table',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const mode = str(node.values.billing_mode) ?? 'PROVISIONED';
    const out: ComponentRequest[] = [];
    if (mode === 'PAY_PER_REQUEST') {
      out.push(fromUsage(ctx, USAGE, 'monthly_write_request_units', 'Write request units (on-demand)', 'dynamodb.on-demand.write', 1 / 1e6));
      out.push(fromUsage(ctx, USAGE, 'monthly_read_request_units', 'Read request units (on-demand)', 'dynamodb.on-demand.read', 1 / 1e6));
    } else {
      let wcu = num(node.values.write_capacity) ?? 0;
      let rcu = num(node.values.read_capacity) ?? 0;
      for (const gsi of blocks(node.values, 'global_secondary_index')) {
        wcu += num(gsi.write_capacity) ?? 0;
        rcu += num(gsi.read_capacity) ?? 0;
      }
      out.push({ name: `Provisioned write capacity (${wcu} WCU)`, priceId: 'dynamodb.provisioned.wcu', quantity: wcu * HOURS_PER_MONTH });
      out.push({ name: `Provisioned read capacity (${rcu} RCU)`, priceId: 'dynamodb.provisioned.rcu', quantity: rcu * HOURS_PER_MONTH });
    }
    out.push(fromUsage(ctx, USAGE, 'storage_gb', 'Storage', 'dynamodb.storage'));
    return out;
  },
};
