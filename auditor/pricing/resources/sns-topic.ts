/**
 * aws_sns_topic: publish requests, and deliveries to the topic's e-mail and HTTP/S
 * subscriptions (found from the aws_sns_topic_subscription resources that reference it).
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { str, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_requests', default: 1000, description: 'Publish requests per month (64 KB chunks)' },
  { key: 'monthly_email_notifications', default: 0, description: 'E-mail deliveries per month; default monthly_requests × e-mail subscriptions' },
  { key: 'monthly_http_notifications', default: 0, description: 'HTTP/S deliveries per month; default monthly_requests × HTTP/S subscriptions' },
];

export const snsTopic: ResourcePricer = {
  type: 'aws_sns_topic',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const pub = usage(ctx, USAGE, 'monthly_requests');
    const out: ComponentRequest[] = [{ name: 'Publish requests', priceId: 'sns.publish', quantity: pub.value / 1e6, estimated: pub.estimated }];
    let email = 0;
    let http = 0;
    for (const sub of ctx.model.referencing(node, 'aws_sns_topic_subscription')) {
      const protocol = str(sub.values.protocol);
      if (protocol === 'email' || protocol === 'email-json') email += sub.count;
      if (protocol === 'http' || protocol === 'https') http += sub.count;
    }
    const e = ctx.usage.get('monthly_email_notifications');
    if (e !== undefined || email > 0) {
      out.push({ name: `E-mail deliveries (${email} subscription${email === 1 ? '' : 's'})`, priceId: 'sns.email', quantity: (e ?? pub.value * email) / 1e5, estimated: e === undefined && pub.estimated });
    }
    const h = ctx.usage.get('monthly_http_notifications');
    if (h !== undefined || http > 0) {
      out.push({ name: `HTTP/S deliveries (${http} subscription${http === 1 ? '' : 's'})`, priceId: 'sns.http', quantity: (h ?? pub.value * http) / 1e6, estimated: h === undefined && pub.estimated });
    }
    return out;
  },
};
