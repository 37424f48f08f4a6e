import { modelFromTerraformJson } from '../../auditor/load';
import { UserError } from '../../auditor/errors';
import { modelOf } from '../support/model';

const cfg = {
  terraform: { backend: { s3: { bucket: 'state', key: 'k', encrypt: true, kms_key_id: '${aws_kms_key.k.arn}' } } },
  provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['123456789012'] }, { alias: 'use1', region: 'us-east-1' }] },
  resource: {
    aws_kms_key: { k: { enable_key_rotation: true } },
    aws_s3_bucket: {
      a: { bucket: 'art', '//': { metadata: { path: 'stack/artifacts/bucket', uniqueId: 'a' }, gantry: { suppressions: [{ ruleId: 'encryption/s3-kms', reason: 'public website bucket, no data', expires: '2030-01-01' }] } } },
      many: { bucket: 'm-${count.index}', count: 3 },
      each: { for_each: { x: 1, y: 2 }, bucket: '${each.key}' },
      dyn: { count: '${length(var.names)}' },
    },
    aws_s3_bucket_server_side_encryption_configuration: {
      enc: { bucket: '${aws_s3_bucket.a.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.k.arn}' } }] },
    },
    aws_s3_bucket_public_access_block: { pab: { bucket: '${aws_s3_bucket.a.bucket}', block_public_acls: true } },
    aws_s3_bucket_policy: { pol: { bucket: '${aws_s3_bucket.a.id}', policy: '${data.aws_iam_policy_document.d.json}' } },
  },
  data: {
    aws_iam_policy_document: { d: { statement: [{ actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.a.arn}/*'] }] } },
  },
};

describe('modelFromTerraformJson', () => {
  const m = modelOf(cfg, 'app');

  it('lists resources and data sources with ids, addresses, types and files', () => {
    const bucket = m.get('app', 'aws_s3_bucket.a')!;
    expect(bucket).toMatchObject({ id: 'app/aws_s3_bucket.a', stack: 'app', mode: 'managed', type: 'aws_s3_bucket', name: 'a', file: 'app.tf.json', count: 1, blockAddress: 'aws_s3_bucket.a' });
    expect(m.get('app', 'data.aws_iam_policy_document.d')).toMatchObject({ mode: 'data', type: 'aws_iam_policy_document', name: 'd' });
    expect(m.byType('aws_s3_bucket').map((n) => n.name).sort()).toEqual(['a', 'dyn', 'each', 'many']);
    expect(m.byType('nope')).toEqual([]);
    expect(m.resources).toHaveLength(9);
  });

  it('honours count and for_each, and says when it cannot', () => {
    expect(m.get('app', 'aws_s3_bucket.many')!.count).toBe(3);
    expect(m.get('app', 'aws_s3_bucket.each')!.count).toBe(2);
    const dyn = m.get('app', 'aws_s3_bucket.dyn')!;
    expect(dyn.count).toBe(1);
    expect(dyn.countUnknown).toMatch(/length\(var\.names\)/);
    expect(m.get('app', 'aws_s3_bucket.a')!.countUnknown).toBeUndefined();
  });

  it('links references both ways, including nested ones like ${arn}/*', () => {
    const bucket = m.get('app', 'aws_s3_bucket.a')!;
    const types = m.referencing(bucket).map((n) => n.address).sort();
    expect(types).toEqual([
      'aws_s3_bucket_policy.pol',
      'aws_s3_bucket_public_access_block.pab',
      'aws_s3_bucket_server_side_encryption_configuration.enc',
      'data.aws_iam_policy_document.d',
    ]);
    expect(m.referencing(bucket, 'aws_s3_bucket_public_access_block').map((n) => n.name)).toEqual(['pab']);
    const enc = m.get('app', 'aws_s3_bucket_server_side_encryption_configuration.enc')!;
    expect(enc.references).toEqual(expect.arrayContaining(['aws_s3_bucket.a', 'aws_kms_key.k']));
    expect(m.referencedBy(enc, 'aws_kms_key').map((n) => n.address)).toEqual(['aws_kms_key.k']);
    expect(m.resolve('app', '${aws_kms_key.k.arn}')!.address).toBe('aws_kms_key.k');
    expect(m.resolve('app', '${aws_kms_key.missing.arn}')).toBeUndefined();
    expect(m.resolve('other', '${aws_kms_key.k.arn}')).toBeUndefined();
    expect(m.resolve('app', 42)).toBeUndefined();
  });

  it('reads construct paths, code suppressions, region, account and backend', () => {
    const bucket = m.get('app', 'aws_s3_bucket.a')!;
    expect(bucket.constructPath).toBe('stack/artifacts/bucket');
    expect(bucket.suppressions).toEqual([{ ruleId: 'encryption/s3-kms', reason: 'public website bucket, no data', expires: '2030-01-01', origin: 'code' }]);
    expect(bucket.values['//']).toBeUndefined();
    expect(m.stacks).toEqual([
      expect.objectContaining({ name: 'app', kind: 'config', region: 'eu-west-1', accountId: '123456789012', backend: expect.objectContaining({ type: 's3' }) }),
    ]);
    expect(m.stacks[0].backend!.config.encrypt).toBe(true);
  });

  it('stores values without prototypes and keeps __proto__ / constructor as plain keys', () => {
    const evil = JSON.parse('{"resource":{"aws_s3_bucket":{"x":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"tags":{"__proto__":"y"}}}}}');
    const em = modelOf(evil);
    const v = em.get('test', 'aws_s3_bucket.x')!.values;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.tags)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'tags']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(em.get('test', 'constructor')).toBeUndefined();
    expect(em.byType('constructor')).toEqual([]);
    expect(em.byType('__proto__')).toEqual([]);
  });

  it('accepts Terraform JSON array forms', () => {
    const am = modelOf({ resource: [{ aws_sns_topic: [{ t: [{ name: 'x' }] }] }] });
    expect(am.get('test', 'aws_sns_topic.t')!.values.name).toBe('x');
  });

  it('refuses malformed shapes with a UserError naming the file and the problem', () => {
    const bad: [unknown, RegExp][] = [
      [[], /top level is an array/],
      ['x', /top level is a string/],
      [{ foo: 1 }, /not a Terraform JSON configuration/],
      [{ resource: 5 }, /'resource' must be an object, found a number/],
      [{ resource: { aws_s3_bucket: 'x' } }, /'resource.aws_s3_bucket' must be an object/],
      [{ resource: { aws_s3_bucket: { a: null } } }, /'resource.aws_s3_bucket.a' must be an object, found null/],
      [{ resource: { aws_s3_bucket: { a: { count: -1 } } } }, /count must be a whole number/],
      [{ resource: { aws_s3_bucket: { a: { count: {} } } } }, /count must be a number/],
      [{ resource: { aws_s3_bucket: { a: { count: 1, for_each: {} } } } }, /both count and for_each/],
      [{ resource: { aws_s3_bucket: { a: { '//': { gantry: { suppressions: [{ reason: 'x' }] } } } } } }, /has no ruleId/],
      [{ resource: { 'bad type!': {} } }, /not a Terraform resource type/],
      [{ provider: { aws: 3 } }, /'provider.aws' must be an object/],
    ];
    for (const [input, re] of bad) {
      let err: unknown;
      try {
        modelFromTerraformJson({ s: input }, { files: { s: 'in/s.tf.json' } });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(/^in\/s\.tf\.json: /);
      expect((err as UserError).message).toMatch(re);
      expect((err as UserError).message).not.toMatch(/\n/);
    }
  });

  it('refuses deep nesting without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200000; i++) deep = [deep];
    expect(() => modelOf({ resource: { aws_s3_bucket: { a: { tags: deep } } } })).toThrow(/nesting deeper than/);
  });
});
