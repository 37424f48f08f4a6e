/**
 * An SNS topic encrypted with the application key, with e-mail subscriptions and a topic policy
 * that only admits the publishers it is told about (EventBridge rules by ARN).
 */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { PolicyBuilder, type Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';

export interface NotificationTopicProps {
  readonly env: AwsEnv;
  readonly topicName: string;
  readonly displayName: string;
  readonly encryptionKey: EncryptionKey;
  /** E-mail addresses subscribed to the topic (each confirms once). @default - none */
  readonly emails?: readonly string[];
}

export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicName: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  private readonly env: AwsEnv;
  private readonly encryptionKey: EncryptionKey;
  private readonly policy = new PolicyBuilder();
  private readonly eventRuleArns: string[] = [];
  private readonly alarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.env = props.env;
    this.encryptionKey = props.encryptionKey;
    this.topicName = props.topicName;
    this.arn = props.env.arn('sns', props.topicName);
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, displayName: props.displayName, kmsMasterKeyId: props.encryptionKey.arn });
    this.policy.add({
      Sid: 'AccountOwnerManagesTopic',
      Effect: 'Allow',
      Principal: { AWS: props.env.arn('iam', 'root', { region: '' }) },
      Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
      Resource: this.arn,
    });
    new SnsTopicPolicy(this, 'policy', { arn: this.topic.arn, policy: this.policy.toJson() });
    (props.emails ?? []).forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    });
  }

  /** Let exactly this EventBridge rule publish to the topic (topic policy and key policy). */
  allowEventRule(ruleArn: string): void {
    if (this.eventRuleArns.length === 0) {
      this.policy.add({
        Sid: 'NamedEventRulesPublish',
        Effect: 'Allow',
        Principal: { Service: this.env.service('events') },
        Action: 'sns:Publish',
        Resource: this.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': this.eventRuleArns } },
      });
    }
    this.eventRuleArns.push(ruleArn);
    this.encryptionKey.allowEventBridgePublish();
  }

  /** Let exactly these CloudWatch alarms publish to the topic (topic policy and key policy). */
  allowCloudWatchAlarms(alarmArns: readonly string[]): void {
    if (!alarmArns.length) return;
    if (this.alarmArns.length === 0) {
      this.policy.add({
        Sid: 'NamedAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: this.env.service('cloudwatch') },
        Action: 'sns:Publish',
        Resource: this.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': this.alarmArns } },
      });
    }
    this.alarmArns.push(...alarmArns);
    this.encryptionKey.allowCloudWatchAlarmPublish();
  }

  /** Identity-policy statements to publish to this topic. */
  publishStatements(): Statement[] {
    return [{ Sid: 'PublishToTopic', Effect: 'Allow', Action: 'sns:Publish', Resource: this.arn }, this.encryptionKey.useStatement('EncryptTopicMessages')];
  }
}
