/**
 * The standard CloudWatch alarms of one environment — target 5xx rate and unhealthy hosts behind
 * its load balancer, or errors of its Lambda function — each notifying the alerts topic. Their
 * names go into the environment's deployment group, which stops and rolls back on them.
 */
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';

export interface LoadBalancerDimensions {
  /** `app/<name>/<id>` */
  readonly loadBalancer: string;
  /** `targetgroup/<name>/<id>` */
  readonly targetGroup: string;
}

export interface StandardAlarmsProps {
  readonly env: AwsEnv;
  /** Alarm names start with it, e.g. `gantry-web-prod`. */
  readonly namePrefix: string;
  /** Topic (ARN) notified when an alarm fires and clears. */
  readonly alertsTopicArn: string;
  readonly http5xxRate?: LoadBalancerDimensions & { readonly thresholdPercent: number };
  readonly unhealthyHosts?: LoadBalancerDimensions & { readonly threshold: number };
  readonly lambdaErrors?: { readonly functionName: string; readonly threshold: number };
}

export class StandardAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** Names of the alarms, known at plan time. */
  readonly alarmNames: string[] = [];
  /** Literal ARNs of the alarms. */
  readonly alarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: StandardAlarmsProps) {
    super(scope, id);
    const common = {
      actionsEnabled: true,
      alarmActions: [props.alertsTopicArn],
      okActions: [props.alertsTopicArn],
      treatMissingData: 'notBreaching',
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    };
    const add = (suffix: string, alarm: Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'evaluationPeriods'>) => {
      const name = `${props.namePrefix}-${suffix}`;
      this.alarms.push(new CloudwatchMetricAlarm(this, suffix, { alarmName: name, ...common, ...alarm }));
      this.alarmNames.push(name);
      this.alarmArns.push(props.env.arn('cloudwatch', `alarm:${name}`));
    };

    const r = props.http5xxRate;
    if (r) {
      const dims = { LoadBalancer: r.loadBalancer, TargetGroup: r.targetGroup };
      add('5xx-rate', {
        alarmDescription: `Target 5xx responses above ${r.thresholdPercent}% of requests (${r.targetGroup})`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: r.thresholdPercent,
        metricQuery: [
          { id: 'errors', metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: dims, period: 60, stat: 'Sum' } },
          { id: 'requests', metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: dims, period: 60, stat: 'Sum' } },
          { id: 'rate', expression: 'IF(requests > 0, 100 * errors / requests, 0)', label: '5xx rate (%)', returnData: true },
        ],
      });
    }
    const u = props.unhealthyHosts;
    if (u) {
      add('unhealthy-hosts', {
        alarmDescription: `At least ${u.threshold} unhealthy target(s) in ${u.targetGroup}`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: { LoadBalancer: u.loadBalancer, TargetGroup: u.targetGroup },
        statistic: 'Maximum',
        period: 60,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: u.threshold,
      });
    }
    const l = props.lambdaErrors;
    if (l) {
      add('lambda-errors', {
        alarmDescription: `At least ${l.threshold} error(s) a minute in ${l.functionName}`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: l.functionName },
        statistic: 'Sum',
        period: 60,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: l.threshold,
      });
    }
  }
}
