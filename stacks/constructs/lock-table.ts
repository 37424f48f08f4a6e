/**
 * The DynamoDB table Terraform's S3 backend locks state with: `LockID` string key, on-demand
 * billing, point-in-time recovery, SSE with a customer managed key, deletion protection and
 * `prevent_destroy`.
 */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key';

export interface LockTableProps {
  readonly tableName: string;
  readonly encryptionKey: EncryptionKey;
}

export class LockTable extends Construct {
  readonly table: DynamodbTable;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);
    this.tableName = props.tableName;
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.encryptionKey.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
