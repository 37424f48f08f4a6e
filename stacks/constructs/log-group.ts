/** A CloudWatch Logs group encrypted with a customer managed key and with a retention period. */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';

export interface EncryptedLogGroupProps {
  readonly env: AwsEnv;
  readonly logGroupName: string;
  readonly encryptionKey: EncryptionKey;
  /** @default 90 */
  readonly retentionInDays?: number;
}

export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly logGroupName: string;
  /** Literal ARN of the group. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroupName = props.logGroupName;
    this.arn = props.env.arn('logs', `log-group:${props.logGroupName}`);
    props.encryptionKey.allowLogGroup(props.logGroupName);
    this.logGroup = new CloudwatchLogGroup(this, 'group', {
      name: props.logGroupName,
      retentionInDays: props.retentionInDays ?? 90,
      kmsKeyId: props.encryptionKey.arn,
      // The key policy must allow CloudWatch Logs before the group is created with the key.
      dependsOn: [props.encryptionKey.key],
    });
  }

  /** Identity-policy statement to create streams and write events in this group only (both act on log-stream ARNs). */
  writeStatement(): Statement {
    return { Sid: 'WriteOwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${this.arn}:log-stream:*` };
  }
}
