/**
 * The bootstrap stack (local backend at first, once per account and region): the S3 bucket and the
 * DynamoDB lock table every application stack keeps its Terraform state in, and the customer
 * managed key that encrypts both. Everything here refuses `terraform destroy`.
 */
import { LocalBackend, S3Backend, type TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import type { GantryConfig } from './config/schema';
import { EncryptionKey } from './constructs/encryption-key';
import { LockTable } from './constructs/lock-table';
import { SecureBucket } from './constructs/secure-bucket';
import { AwsEnv } from './lib/aws-env';
import { bootstrapStateKey, stateKeyAlias } from './lib/naming';
import { readableLogicalId } from './lib/logical-id';
import { awsProvider } from './lib/provider';

export class BootstrapStack extends TerraformStack {
  readonly stateKey: EncryptionKey;
  readonly stateBucket: SecureBucket;
  readonly lockTable: LockTable;

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return readableLogicalId(element);
  }

  constructor(scope: Construct, id: string, config: GantryConfig) {
    super(scope, id);
    if (config.state.bootstrapBackend === 's3') {
      // After migration (README): the bootstrap's own state lives in the bucket it manages.
      new S3Backend(this, {
        bucket: config.state.bucket,
        key: bootstrapStateKey(config),
        region: config.region,
        dynamodbTable: config.state.lockTable,
        encrypt: true,
        kmsKeyId: `alias/${stateKeyAlias(config)}`,
      });
      if (config.state.useLockfile) this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // First deploy: local state at the project root (outside cdktf.out/, which synth rewrites).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
    awsProvider(this, config, { GantryStack: id });
    const env = AwsEnv.forStack(this, config.region, config.accountId);

    this.stateKey = new EncryptionKey(this, 'state-key', {
      env,
      alias: stateKeyAlias(config),
      description: `Encrypts the Terraform state of ${config.prefix} (bucket objects and lock table)`,
    });
    this.stateKey.key.addOverride('lifecycle.prevent_destroy', true);
    this.stateBucket = new SecureBucket(this, 'state-bucket', {
      env,
      bucketName: config.state.bucket,
      encryptionKey: this.stateKey,
      noncurrentVersionExpirationDays: 90,
      preventDestroy: true,
    });
    this.lockTable = new LockTable(this, 'lock-table', { tableName: config.state.lockTable, encryptionKey: this.stateKey });

    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucket, description: 'S3 bucket holding every application stack state' });
    new TerraformOutput(this, 'lock_table', { value: this.lockTable.table.name, description: 'DynamoDB table locking the state' });
    new TerraformOutput(this, 'state_key_arn', { value: this.stateKey.arn, description: 'KMS key encrypting the state' });
    new TerraformOutput(this, 'state_key_alias', { value: this.stateKey.aliasName, description: 'Alias the application stacks encrypt their state with' });
  }
}
