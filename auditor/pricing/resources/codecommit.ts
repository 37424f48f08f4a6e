/**
 * aws_codecommit_repository: active users (an account-wide count; 5 free), storage and Git
 * requests beyond what each active user includes (10 GB-month and 2,000 requests per user).
 * The included allowances are taken off here; the 5 free users are the account's free tier.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_active_users', default: 5, description: 'Distinct identities (people, CodeBuild/CodePipeline roles, servers) that access this repository and no other priced one this month' },
  { key: 'storage_gb', default: 1, description: 'Repository storage, GB-month' },
  { key: 'monthly_git_requests', default: 2000, description: 'Git push/pull requests that transfer objects, per month' },
];

export const INCLUDED_GB_PER_USER = 10;
export const INCLUDED_REQUESTS_PER_USER = 2000;

const STORAGE = `Storage beyond ${INCLUDED_GB_PER_USER} GB per active user`;
const REQUESTS = `Git requests beyond ${INCLUDED_REQUESTS_PER_USER} per active user`;

export const codecommitRepository: ResourcePricer = {
  type: 'aws_codecommit_repository',
  usage: USAGE,
  components(_node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const users = usage(ctx, USAGE, 'monthly_active_users');
    const gb = usage(ctx, USAGE, 'storage_gb');
    const req = usage(ctx, USAGE, 'monthly_git_requests');
    return [
      { name: 'Active users', priceId: 'codecommit.active-user', quantity: users.value, estimated: users.estimated },
      {
        name: STORAGE,
        priceId: 'codecommit.storage',
        quantity: Math.max(0, gb.value - INCLUDED_GB_PER_USER * users.value),
        estimated: gb.estimated || users.estimated,
      },
      {
        name: REQUESTS,
        priceId: 'codecommit.git-requests',
        quantity: Math.max(0, req.value - INCLUDED_REQUESTS_PER_USER * users.value),
        estimated: req.estimated || users.estimated,
      },
    ];
  },
};
