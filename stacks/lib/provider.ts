/** The AWS provider every Gantry stack uses: one region, default tags, pinned to the account when known. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { GantryConfig } from '../config/schema';

export function awsProvider(scope: Construct, config: GantryConfig, stackTags: Record<string, string>): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region: config.region,
    ...(config.accountId ? { allowedAccountIds: [config.accountId] } : {}),
    defaultTags: [{ tags: { ManagedBy: 'gantry', ...config.tags, ...stackTags } }],
  });
}
