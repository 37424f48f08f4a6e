import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENCRYPTION_RULES } from '../../policies/encryption';
import { RELIABILITY_RULES } from '../../policies/reliability';
import { modelOf } from '../support/model';
import { ACCOUNT, broken, ctx, run, wellBuilt } from './encryption-fixtures';

describe('encryption and reliability catalogue', () => {
  for (const [folder, rules] of [['encryption', ENCRYPTION_RULES], ['reliability', RELIABILITY_RULES]] as const) {
    const dir = path.join(__dirname, '../../policies', folder);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

    test(`${folder}: every rule file is in the index, and its id is its path`, () => {
      expect(rules.map((r) => r.id).sort()).toEqual(files.map((f) => `${folder}/${f.slice(0, -3)}`).sort());
      for (const f of files) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(dir, f)) as { rule: { id: string } };
        expect(mod.rule.id).toBe(`${folder}/${f.slice(0, -3)}`);
      }
    });

    test(`${folder}: every rule has a category, a documented severity, rationale and remediation`, () => {
      for (const r of rules) {
        expect(r.category).toBe(folder);
        expect(r.title.length).toBeGreaterThan(10);
        expect(r.rationale).toMatch(/Severity \(ours\)/);
        expect(r.remediation.trim().length).toBeGreaterThan(20);
        for (const ids of Object.values(r.equivalents ?? {})) for (const id of ids ?? []) expect(id).toMatch(/^(CKV2?_AWS_\d+|AVD-AWS-\d{4}|AwsSolutions-[A-Z0-9]+)$/);
      }
    });
  }

  test('a well-built delivery stack has no encryption or reliability finding at all', () => {
    const model = modelOf(wellBuilt(), 'delivery');
    const results = [...ENCRYPTION_RULES, ...RELIABILITY_RULES].flatMap((r) => r.check(model, ctx).map((x) => `${r.id}: ${x.node.address}: ${x.message}`));
    expect(results).toEqual([]);
  });
});

describe('encryption/s3-bucket-sse-kms', () => {
  const id = 'encryption/s3-bucket-sse-kms';
  test('Noncompliance 1: no encryption configuration → high', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_server_side_encryption_configuration));
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ address: 'aws_s3_bucket.artifacts', sev: 'high', detail: 'no-encryption-configuration' });
  });
  test('Noncompliance 2: SSE-S3 (AES256) → medium', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' })));
    expect(r.map((x) => [x.sev, x.detail])).toEqual([['medium', 'AES256']]);
  });
  test('Noncompliance 3: aws:kms with no key, or with alias/aws/s3 → medium', () => {
    const noKey = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].apply_server_side_encryption_by_default.kms_master_key_id));
    expect(noKey.map((x) => [x.sev, x.detail])).toEqual([['medium', 'aws-managed-key']]);
    const awsKey = run(id, broken((tf) => (tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].apply_server_side_encryption_by_default.kms_master_key_id = 'alias/aws/s3')));
    expect(awsKey.map((x) => x.message)).toEqual([expect.stringContaining('alias/aws/s3')]);
  });
  test('Noncompliance 4: a data.aws_kms_alias for alias/aws/s3 is an AWS-managed key', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.data.aws_kms_alias = { s3: { name: 'alias/aws/s3' } };
        tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].apply_server_side_encryption_by_default.kms_master_key_id = '${data.aws_kms_alias.s3.target_key_arn}';
      }),
    );
    expect(r.map((x) => x.detail)).toEqual(['aws-managed-key']);
  });
  test('Compliance: the configuration links by literal bucket name too, and the legacy inline block counts', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.bucket = 'gantry-artifacts')))).toEqual([]);
    const legacy = broken((tf) => {
      const cfg = tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts;
      delete tf.resource.aws_s3_bucket_server_side_encryption_configuration;
      tf.resource.aws_s3_bucket.artifacts.server_side_encryption_configuration = { rule: cfg.rule };
    });
    expect(run(id, legacy)).toEqual([]);
  });
  test('Compliance: a configuration iterating for_each over the buckets (bucket = each.value.id) links to each', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_s3_bucket.artifacts = { for_each: '${toset(["a", "b"])}', bucket: 'gantry-artifacts-${each.key}' };
        Object.assign(tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts, { for_each: '${aws_s3_bucket.artifacts}', bucket: '${each.value.id}' });
      }),
    );
    expect(r).toEqual([]);
  });
  test('Compliance: a configuration for another bucket does not count for this one', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_s3_bucket.logs = { bucket: 'gantry-logs' };
        tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.bucket = '${aws_s3_bucket.logs.id}';
      }),
    );
    expect(r.map((x) => x.address).sort()).toEqual(['aws_s3_bucket.artifacts']);
  });
  test('a key known only after apply is not a failure', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].apply_server_side_encryption_by_default.kms_master_key_id = '${var.key_arn}')))).toEqual([]);
  });
});

describe('encryption/s3-bucket-key-enabled', () => {
  const id = 'encryption/s3-bucket-key-enabled';
  test('Noncompliance: SSE-KMS without bucket_key_enabled', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule[0].bucket_key_enabled));
    expect(r.map((x) => [x.address, x.sev])).toEqual([['aws_s3_bucket.artifacts', 'low']]);
  });
  test('Compliance: not applicable to SSE-S3 buckets', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_s3_bucket_server_side_encryption_configuration.artifacts.rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }])))).toEqual([]);
  });
});

describe('encryption/s3-public-access-block', () => {
  const id = 'encryption/s3-public-access-block';
  test('Noncompliance 1: one finding per flag that is off or omitted (omitted means false)', () => {
    const r = run(
      id,
      broken((tf) => {
        const pab = tf.resource.aws_s3_bucket_public_access_block.artifacts;
        pab.block_public_policy = false;
        delete pab.restrict_public_buckets;
      }),
    );
    expect(r.map((x) => [x.detail, x.sev])).toEqual([
      ['block_public_policy', 'high'],
      ['restrict_public_buckets', 'high'],
    ]);
  });
  test('Noncompliance 2: no public access block at all → medium (S3 default only)', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_public_access_block));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['missing', 'medium']]);
  });
  test('Compliance: an account-level block with all four flags covers every bucket', () => {
    const r = run(
      id,
      broken((tf) => {
        delete tf.resource.aws_s3_bucket_public_access_block;
        tf.resource.aws_s3_account_public_access_block = { account: { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } };
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/s3-tls-only-policy', () => {
  const id = 'encryption/s3-tls-only-policy';
  test('Noncompliance 1: no bucket policy', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_policy));
    expect(r.map((x) => [x.address, x.sev])).toEqual([['aws_s3_bucket.artifacts', 'medium']]);
    expect(r[0].message).toMatch(/no bucket policy/);
  });
  test('Noncompliance 2: a policy without the SecureTransport deny (jsonencode string)', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_s3_bucket_policy.artifacts.policy = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/build` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::gantry-artifacts/*' }],
        });
      }),
    );
    expect(r.map((x) => x.message)).toEqual([expect.stringMatching(/no Deny for aws:SecureTransport/)]);
  });
  test('Noncompliance 3: a deny on SecureTransport = true is the wrong way round', () => {
    const r = run(id, broken((tf) => (tf.data.aws_iam_policy_document.tls.statement[0].condition[0].values = ['true'])));
    expect(r).toHaveLength(1);
  });
  test('Compliance: a literal-JSON policy naming the bucket by its literal name', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_s3_bucket_policy.artifacts = {
          bucket: 'gantry-artifacts',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::gantry-artifacts', 'arn:aws:s3:::gantry-artifacts/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
          }),
        };
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/codebuild-project-encryption-key', () => {
  const id = 'encryption/codebuild-project-encryption-key';
  test('Noncompliance: no encryption_key, or alias/aws/s3', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_codebuild_project.build.encryption_key)).map((x) => [x.address, x.sev])).toEqual([['aws_codebuild_project.build', 'medium']]);
    expect(run(id, broken((tf) => (tf.resource.aws_codebuild_project.build.encryption_key = 'alias/aws/s3')))).toHaveLength(1);
  });
  test('Compliance: a customer key alias or ARN', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_codebuild_project.build.encryption_key = 'alias/gantry-build')))).toEqual([]);
  });
});

describe('encryption/codebuild-encryption-disabled', () => {
  const id = 'encryption/codebuild-encryption-disabled';
  test('Noncompliance: artifacts, a secondary artifact and S3 logs with encryption_disabled → high, one each', () => {
    const r = run(
      id,
      broken((tf) => {
        const p = tf.resource.aws_codebuild_project.build;
        p.artifacts = { type: 'S3', location: 'gantry-artifacts', encryption_disabled: true };
        p.secondary_artifacts = [{ artifact_identifier: 'reports', type: 'S3', location: 'gantry-artifacts', encryption_disabled: true }];
        p.logs_config.s3_logs = { status: 'ENABLED', location: 'gantry-artifacts/logs', encryption_disabled: true };
      }),
    );
    expect(r.map((x) => [x.detail, x.sev])).toEqual([
      ['artifacts', 'high'],
      ['secondary_artifacts[reports]', 'high'],
      ['logs_config.s3_logs', 'high'],
    ]);
  });
  test('Compliance: disabled S3 logs and explicit false are fine', () => {
    const r = run(
      id,
      broken((tf) => {
        const p = tf.resource.aws_codebuild_project.build;
        p.artifacts = { type: 'S3', location: 'gantry-artifacts', encryption_disabled: false };
        p.logs_config.s3_logs = { status: 'DISABLED', encryption_disabled: true };
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/codebuild-plaintext-secrets', () => {
  const id = 'encryption/codebuild-plaintext-secrets';
  const withEnv = (vars: object[]) => broken((tf) => tf.resource.aws_codebuild_project.build.environment.environment_variable.push(...vars));
  test('Noncompliance 1: AWS credential names in PLAINTEXT → critical', () => {
    const r = run(id, withEnv([{ name: 'AWS_ACCESS_KEY_ID', value: '${var.key}' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'x', type: 'PLAINTEXT' }, { name: 'AWS_SESSION_TOKEN', value: 't' }]));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([
      ['AWS_ACCESS_KEY_ID', 'critical'],
      ['AWS_SECRET_ACCESS_KEY', 'critical'],
      ['AWS_SESSION_TOKEN', 'critical'],
    ]);
  });
  test('Noncompliance 2: a value shaped like an access key id under any name → critical', () => {
    const r = run(id, withEnv([{ name: 'DEPLOY_USER', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'SIGNING', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }]));
    expect(r.map((x) => x.sev)).toEqual(['critical', 'critical']);
    expect(r[0].message).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
  test('Noncompliance 3: other secret-looking names in PLAINTEXT → high', () => {
    const r = run(id, withEnv([{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'github-token', value: '${var.gh}' }]));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([
      ['DB_PASSWORD', 'high'],
      ['github-token', 'high'],
    ]);
  });
  test('Compliance: secrets by reference (SECRETS_MANAGER, PARAMETER_STORE, ARN pointers) and ordinary values', () => {
    const r = run(
      id,
      withEnv([
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'ci/keys:secret', type: 'SECRETS_MANAGER' },
        { name: 'API_KEY', value: '${aws_secretsmanager_secret.token.arn}' },
        { name: 'PASSWORD_PARAMETER_NAME', value: '/gantry/db-password' },
        { name: 'AWS_REGION', value: 'eu-west-1' },
        { name: 'COMMIT', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      ]),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/codepipeline-artifact-store-key', () => {
  const id = 'encryption/codepipeline-artifact-store-key';
  test('Noncompliance: an artifact store without encryption_key', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_codepipeline.pipeline.artifact_store[0].encryption_key));
    expect(r.map((x) => [x.address, x.sev])).toEqual([['aws_codepipeline.pipeline', 'medium']]);
  });
  test('Noncompliance: each cross-region store is checked', () => {
    const r = run(id, broken((tf) => tf.resource.aws_codepipeline.pipeline.artifact_store.push({ location: 'gantry-artifacts-use1', type: 'S3', region: 'us-east-1' })));
    expect(r.map((x) => x.detail)).toEqual(['us-east-1']);
  });
});

describe('encryption/codecommit-repository-key', () => {
  const id = 'encryption/codecommit-repository-key';
  test('Noncompliance: no kms_key_id → low', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_codecommit_repository.app.kms_key_id)).map((x) => x.sev)).toEqual(['low']);
  });
  test('Compliance: a data source for a customer key', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.data.aws_kms_key = { shared: { key_id: 'alias/shared-source' } };
        tf.resource.aws_codecommit_repository.app.kms_key_id = '${data.aws_kms_key.shared.arn}';
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/sns-topic-customer-key', () => {
  const id = 'encryption/sns-topic-customer-key';
  test('Noncompliance: unencrypted → medium; alias/aws/sns → low', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_sns_topic.approvals.kms_master_key_id)).map((x) => x.sev)).toEqual(['medium']);
    expect(run(id, broken((tf) => (tf.resource.aws_sns_topic.approvals.kms_master_key_id = 'alias/aws/sns'))).map((x) => x.sev)).toEqual(['low']);
  });
});

describe('encryption/log-group-kms-key', () => {
  test('Noncompliance: no kms_key_id', () => {
    expect(run('encryption/log-group-kms-key', broken((tf) => delete tf.resource.aws_cloudwatch_log_group.build.kms_key_id)).map((x) => x.address)).toEqual(['aws_cloudwatch_log_group.build']);
  });
});

describe('encryption/dynamodb-table-customer-key', () => {
  const id = 'encryption/dynamodb-table-customer-key';
  test('Noncompliance: SSE off (AWS-owned key), or on without kms_key_arn (AWS-managed key)', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_dynamodb_table.locks.server_side_encryption)).map((x) => x.message)).toEqual([expect.stringMatching(/AWS-owned/)]);
    expect(run(id, broken((tf) => delete tf.resource.aws_dynamodb_table.locks.server_side_encryption.kms_key_arn)).map((x) => x.message)).toEqual([expect.stringMatching(/aws\/dynamodb/)]);
  });
});

describe('encryption/secretsmanager-secret-customer-key', () => {
  test('Noncompliance: no kms_key_id', () => {
    expect(run('encryption/secretsmanager-secret-customer-key', broken((tf) => delete tf.resource.aws_secretsmanager_secret.token.kms_key_id))).toHaveLength(1);
  });
});

describe('encryption/ssm-parameter-secure-string', () => {
  const id = 'encryption/ssm-parameter-secure-string';
  test('Noncompliance 1: a secret-looking String parameter → high', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_ssm_parameter.db.type = 'String')));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['type', 'high']]);
  });
  test('Noncompliance 2: the description says it is a token', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_ssm_parameter.hook = { name: '/gantry/hook', type: 'String', description: 'Slack webhook token', value: 'x' })));
    expect(r.map((x) => x.address)).toEqual(['aws_ssm_parameter.hook']);
  });
  test('Noncompliance 3: SecureString without key_id → low', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_ssm_parameter.db.key_id)).map((x) => [x.detail, x.sev])).toEqual([['key_id', 'low']]);
  });
  test('Compliance: ordinary String parameters are not secrets', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_ssm_parameter.region = { name: '/gantry/region', type: 'String', value: 'eu-west-1' })))).toEqual([]);
  });
});

describe('encryption/kms-key-rotation', () => {
  const id = 'encryption/kms-key-rotation';
  test('Noncompliance: rotation absent (Terraform default false) or false', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_kms_key.key.enable_key_rotation))).toHaveLength(1);
    expect(run(id, broken((tf) => (tf.resource.aws_kms_key.key.enable_key_rotation = false))).map((x) => x.sev)).toEqual(['medium']);
  });
  test('Compliance: asymmetric keys cannot rotate and are not judged', () => {
    expect(run(id, broken((tf) => Object.assign(tf.resource.aws_kms_key.key, { enable_key_rotation: false, customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' })))).toEqual([]);
  });
});

describe('encryption/kms-key-policy-wildcard-principal', () => {
  const id = 'encryption/kms-key-policy-wildcard-principal';
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  test('Noncompliance 1: Allow Principal "*" with no condition → critical', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_kms_key.key.policy = policy([{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }]))));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['Open', 'critical']]);
  });
  test('Noncompliance 2: a separate aws_kms_key_policy, with a condition that does not limit the caller', () => {
    const r = run(
      id,
      broken((tf) => {
        delete tf.resource.aws_kms_key.key.policy;
        tf.resource.aws_kms_key_policy = {
          key: { key_id: '${aws_kms_key.key.id}', policy: policy([{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }]) },
        };
      }),
    );
    expect(r.map((x) => x.address)).toEqual(['aws_kms_key.key']);
  });
  test('Compliance: "*" limited by kms:CallerAccount, a Deny to "*", and named principals', () => {
    const r = run(
      id,
      broken(
        (tf) =>
          (tf.resource.aws_kms_key.key.policy = policy([
            { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } },
            { Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
            { Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: 'kms:Encrypt*', Resource: '*' },
          ])),
      ),
    );
    expect(r).toEqual([]);
  });
});

describe('encryption/kms-key-enabled', () => {
  test('Noncompliance: is_enabled = false; Compliance: absent defaults to enabled', () => {
    expect(run('encryption/kms-key-enabled', broken((tf) => (tf.resource.aws_kms_key.key.is_enabled = false))).map((x) => x.address)).toEqual(['aws_kms_key.key']);
    expect(run('encryption/kms-key-enabled', wellBuilt())).toEqual([]);
  });
});

describe('encryption/terraform-backend-encrypted', () => {
  const id = 'encryption/terraform-backend-encrypted';
  test('Noncompliance 1: encrypt not true → high, on the backend block', () => {
    const r = run(id, broken((tf) => delete tf.terraform.backend.s3.encrypt));
    expect(r.map((x) => [x.address, x.detail, x.sev])).toEqual([['terraform.backend.s3', 'encrypt', 'high']]);
  });
  test('Noncompliance 2: encrypt without kms_key_id → medium', () => {
    const r = run(id, broken((tf) => delete tf.terraform.backend.s3.kms_key_id));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['kms_key_id', 'medium']]);
  });
  test('Compliance: no S3 backend, nothing to judge', () => {
    expect(run(id, broken((tf) => (tf.terraform.backend = { local: { path: 'terraform.tfstate' } })))).toEqual([]);
  });
});
