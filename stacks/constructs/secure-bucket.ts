/**
 * An S3 bucket locked down by default: versioned, SSE-KMS with a customer managed key and an S3
 * bucket key, all four public-access blocks, object ownership enforced (no ACLs), a policy that
 * refuses any request not made over TLS, and lifecycle rules for old versions and failed uploads.
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { denyInsecureTransport, PolicyBuilder, type Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';

export interface SecureBucketProps {
  readonly env: AwsEnv;
  readonly bucketName: string;
  readonly encryptionKey: EncryptionKey;
  /** Days a noncurrent object version is kept. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which current objects expire (old build artifacts). @default - never */
  readonly expirationDays?: number;
  /** Terraform refuses to destroy the bucket (`lifecycle.prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
}

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly encryptionKey: EncryptionKey;
  private readonly policy = new PolicyBuilder();

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    this.arn = props.env.bucketArn(props.bucketName);
    this.encryptionKey = props.encryptionKey;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryptionKey.arn }, bucketKeyEnabled: true }],
    });
    const pab = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    this.policy.add(denyInsecureTransport(this.arn));
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: this.policy.toJson(), dependsOn: [pab] });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
      },
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
    ];
    if (props.expirationDays !== undefined) {
      rules.push({ id: 'expire-old-objects', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.expirationDays }] });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket: this.bucket.id, rule: rules });
  }

  /** Add statements to the bucket policy (the TLS-only deny is always there). */
  addToPolicy(...statements: Statement[]): void {
    this.policy.add(...statements);
  }

  /** Identity-policy statements to read objects under `prefix` (and use the key). */
  readStatements(prefix = '*'): Statement[] {
    return [
      { Sid: 'ReadObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${this.arn}/${prefix}` },
      { Sid: 'LocateBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketVersioning'], Resource: this.arn },
      this.encryptionKey.useStatement('DecryptObjects'),
    ];
  }

  /** Identity-policy statements to read and write objects under `prefix` (and use the key). */
  readWriteStatements(prefix = '*'): Statement[] {
    return [
      { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: `${this.arn}/${prefix}` },
      { Sid: 'LocateBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketVersioning', 's3:GetBucketAcl'], Resource: this.arn },
      this.encryptionKey.useStatement('EncryptDecryptObjects'),
    ];
  }
}
