/** The bootstrap stack: the state bucket, lock table and key every application stack trusts. */
import example from '../../gantry.config';
import { list, only, statements, synthConfig, type TfJson } from './helpers';

const tf: TfJson = synthConfig(example)['gantry-bootstrap'];

describe('bootstrap stack', () => {
  test('keeps its own state in a local backend at the project root (it creates the remote one)', () => {
    expect(tf.terraform.backend).toEqual({ local: { path: '../../../terraform.gantry-bootstrap.tfstate' } });
  });

  test('after migration, keeps its own state in the bucket it manages, locked and encrypted', () => {
    const migrated = synthConfig({ ...example, state: { ...example.state, bootstrapBackend: 's3' } })['gantry-bootstrap'];
    expect(migrated.terraform.backend).toEqual({
      s3: {
        bucket: 'gantry-terraform-state-111122223333-us-east-1',
        key: 'gantry/bootstrap/terraform.tfstate',
        region: 'us-east-1',
        dynamodb_table: 'gantry-terraform-locks',
        encrypt: true,
        kms_key_id: 'alias/gantry-terraform-state',
        use_lockfile: true,
      },
    });
  });

  test('state key is a customer managed key with rotation that refuses destroy', () => {
    const key = only(tf, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(only(tf, 'aws_kms_alias').name).toBe('alias/gantry-terraform-state');
  });

  test('state key policy grants the account root and no wildcard principal', () => {
    const st = statements(only(tf, 'aws_kms_key').policy);
    expect(st.some((s) => s.Principal?.AWS === 'arn:aws:iam::111122223333:root')).toBe(true);
    for (const s of st) {
      expect(s.Principal).not.toBe('*');
      expect(list(s.Principal?.AWS)).not.toContain('*');
    }
  });

  test('state bucket is versioned and refuses destroy', () => {
    expect(only(tf, 'aws_s3_bucket')).toMatchObject({ bucket: 'gantry-terraform-state-111122223333-us-east-1', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(only(tf, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('state bucket encrypts with the state key (SSE-KMS, bucket key)', () => {
    const rule = only(tf, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(rule).toEqual({ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.state-key_key.arn}' }, bucket_key_enabled: true });
  });

  test('state bucket blocks all public access and disables ACLs', () => {
    expect(only(tf, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(tf, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(tf.resource.aws_s3_bucket_acl).toBeUndefined();
  });

  test('state bucket policy denies every request not made over TLS', () => {
    const st = statements(only(tf, 'aws_s3_bucket_policy').policy);
    const deny = st.find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } });
    expect(list(deny!.Resource)).toEqual(['arn:aws:s3:::gantry-terraform-state-111122223333-us-east-1', 'arn:aws:s3:::gantry-terraform-state-111122223333-us-east-1/*']);
    expect(st.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test('state bucket expires noncurrent versions and aborts failed uploads', () => {
    const rules = only(tf, 'aws_s3_bucket_lifecycle_configuration').rule as any[];
    expect(rules.find((r) => r.noncurrent_version_expiration)).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    expect(rules.find((r) => r.abort_incomplete_multipart_upload)).toMatchObject({ status: 'Enabled' });
    // State is never expired, only its old versions.
    expect(rules.some((r) => r.expiration)).toBe(false);
  });

  test('lock table: LockID string key, on demand, PITR, CMK encryption, deletion protection, prevent_destroy', () => {
    expect(only(tf, 'aws_dynamodb_table')).toMatchObject({
      name: 'gantry-terraform-locks',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.state-key_key.arn}' },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('outputs what the application stacks and the README need', () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(['lock_table', 'state_bucket', 'state_key_alias', 'state_key_arn']);
  });
});
