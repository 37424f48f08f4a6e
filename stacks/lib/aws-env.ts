/**
 * Where a stack deploys: partition, region and account, and exact ARNs built from them.
 * ARNs of resources whose names Gantry chooses are built as literals (known at plan time, so a
 * plan-based audit sees exact ARNs); only KMS keys, whose ids AWS picks, are referenced.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { Construct } from 'constructs';

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export class AwsEnv {
  readonly partition: string;

  /**
   * @param accountId the config's account id; when absent, `aws_caller_identity` is read at plan
   *   time (it needs AWS credentials, so offline plans require the account id in the config).
   */
  static forStack(scope: Construct, region: string, accountId?: string): AwsEnv {
    const account = accountId ?? new DataAwsCallerIdentity(scope, 'current').accountId;
    return new AwsEnv(region, account);
  }

  constructor(
    readonly region: string,
    readonly account: string,
  ) {
    this.partition = partitionOf(region);
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `''` to leave region or account empty (S3, IAM). */
  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    return `arn:${this.partition}:${service}:${opts.region ?? this.region}:${opts.account ?? this.account}:${resource}`;
  }

  bucketArn(bucket: string): string {
    return `arn:${this.partition}:s3:::${bucket}`;
  }

  roleArn(name: string): string {
    return this.arn('iam', `role/${name}`, { region: '' });
  }

  /** Service principal host name, e.g. `codebuild.amazonaws.com` (China uses `.amazonaws.com.cn` for some; Gantry targets the commercial form). */
  service(name: string): string {
    return `${name}.amazonaws.com`;
  }
}
