/**
 * A customer managed KMS key with rotation and an alias. Its key policy grants the account root
 * (so IAM policies can grant use of the key) and, on request, service principals — each with a
 * condition that ties it to this account or to exactly the resources that use the key.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { PolicyBuilder, type Statement } from '../lib/policy';

export interface EncryptionKeyProps {
  readonly env: AwsEnv;
  /** Alias name without the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  /** Days before a scheduled deletion completes. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations. @default 365 */
  readonly rotationPeriodInDays?: number;
}

/** Actions a service needs to encrypt and decrypt data with the key. */
export const KMS_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** The key ARN (known after apply). */
  readonly arn: string;
  readonly aliasName: string;
  private readonly env: AwsEnv;
  private readonly policy = new PolicyBuilder();
  private readonly logGroupArns: string[] = [];
  private eventsPublish = false;
  private alarmsPublish = false;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.env = props.env;
    this.aliasName = `alias/${props.alias}`;
    this.policy.add({
      Sid: 'AccountRootAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: this.env.arn('iam', 'root', { region: '' }) },
      Action: 'kms:*',
      Resource: '*',
    });
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodInDays ?? 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      policy: this.policy.toJson(),
    });
    this.alias = new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }

  /** Let CloudWatch Logs encrypt exactly this log group with the key. */
  allowLogGroup(logGroupName: string): void {
    if (this.logGroupArns.length === 0) {
      this.policy.add({
        Sid: 'CloudWatchLogsEncryptsNamedLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${this.env.region}.amazonaws.com` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': this.logGroupArns } },
      });
    }
    this.logGroupArns.push(this.env.arn('logs', `log-group:${logGroupName}`));
  }

  /** Let EventBridge rules of this account publish to SNS topics encrypted with the key. */
  allowEventBridgePublish(): void {
    if (this.eventsPublish) return;
    this.eventsPublish = true;
    this.policy.add({
      Sid: 'EventBridgePublishesToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: this.env.service('events') },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': this.env.account } },
    });
  }

  /** Let CloudWatch alarms of this account publish to SNS topics encrypted with the key. */
  allowCloudWatchAlarmPublish(): void {
    if (this.alarmsPublish) return;
    this.alarmsPublish = true;
    this.policy.add({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: this.env.service('cloudwatch') },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': this.env.account } },
    });
  }

  /** An identity-policy statement that lets a role use the key for data. */
  useStatement(sid = 'UseApplicationKey'): Statement {
    return { Sid: sid, Effect: 'Allow', Action: KMS_USE_ACTIONS, Resource: this.arn };
  }
}
