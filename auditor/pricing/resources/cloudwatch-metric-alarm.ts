/**
 * aws_cloudwatch_metric_alarm: per alarm metric per month; standard resolution, or high
 * resolution when the period is under 60 seconds. A metric-math alarm counts each metric it reads.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer } from '../types';
import { block, blocks, num } from './helpers';

export function alarmMetrics(values: Record<string, unknown>): { metrics: number; highResolution: boolean } {
  const queries = blocks(values, 'metric_query');
  let metrics = 1;
  let minPeriod = num(values.period) ?? 60;
  if (queries.length > 0) {
    // Counted in place: this runs for every alarm.
    let withMetric = 0;
    for (let i = 0; i < queries.length; i++) {
      const m = block(queries[i], 'metric');
      if (m === undefined) continue;
      withMetric++;
      const p = num(m.period);
      if (p !== undefined) minPeriod = Math.min(minPeriod, p);
    }
    metrics = Math.max(1, withMetric);
  }
  return { metrics, highResolution: minPeriod < 60 };
}

export const cloudwatchMetricAlarm: ResourcePricer = {
  type: 'aws_cloudwatch_metric_alarm',
  usage: [],
  components(node: ResourceNode, _ctx: PricingContext): ComponentRequest[] {
    const { metrics, highResolution } = alarmMetrics(node.values);
    return [{
      name: highResolution ? 'High-resolution alarm metrics' : 'Standard-resolution alarm metrics',
      priceId: highResolution ? 'cloudwatch.alarm.high-resolution' : 'cloudwatch.alarm.standard',
      quantity: metrics,
    }];
  },
};
