import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { modelFromPlan } from '../../auditor/load';
import { UserError } from '../../auditor/errors';
import { Unknown } from '../../auditor/model/types';
import type { ResourceModel } from '../../auditor/model/types';
import { OFFLINE_PROVIDER, terraformReady, validateAndPlan } from '../support/terraform';

const SRC = path.join(__dirname, '..', 'fixtures', 'inputs', 'plan-src', 'main.tf.json');
const ready = terraformReady('loader on a real plan');

(ready ? describe : describe.skip)('modelFromPlan on a plan produced by terraform', () => {
  let plan: any;
  let m: ResourceModel;
  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-loadplan-'));
    fs.copyFileSync(SRC, path.join(dir, 'main.tf.json'));
    fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), JSON.stringify({ provider: { aws: [{ region: 'eu-west-1', ...OFFLINE_PROVIDER }] } }));
    plan = validateAndPlan(dir).plan;
    m = modelFromPlan(plan, 'planned', { file: 'plan.json' });
  }, 300000);

  it('has one node per instance with the plan address and action', () => {
    const addrs = m.resources.map((n) => n.address);
    expect(addrs).toEqual(expect.arrayContaining(['aws_s3_bucket.logs[0]', 'aws_s3_bucket.logs[1]', 'aws_s3_bucket.each["one"]', 'aws_s3_bucket.each["two"]', 'aws_s3_bucket.art']));
    expect(m.byType('aws_s3_bucket')).toHaveLength(5);
    const logs1 = m.get('planned', 'aws_s3_bucket.logs[1]')!;
    expect(logs1).toMatchObject({ blockAddress: 'aws_s3_bucket.logs', instanceKey: 1, count: 1, action: 'create', mode: 'managed', file: 'plan.json' });
    expect(logs1.values.bucket).toBe('gantry-plan-logs-1');
    expect(m.get('planned', 'aws_s3_bucket.each["two"]')!.instanceKey).toBe('two');
    expect(m.get('planned', 'aws_s3_bucket.logs')!.blockAddress).toBe('aws_s3_bucket.logs');
    expect(m.stacks[0]).toMatchObject({ name: 'planned', kind: 'plan', region: 'eu-west-1' });
  });

  it('keeps data sources read during plan (prior_state) and deferred ones (resource_changes read)', () => {
    expect(m.get('planned', 'data.aws_iam_policy_document.trust')!.action).toBeUndefined();
    expect(m.get('planned', 'data.aws_iam_policy_document.rw')!.action).toBe('read');
  });

  it('puts references back where values are unknown, so links resolve', () => {
    const enc = m.get('planned', 'aws_s3_bucket_server_side_encryption_configuration.art')!;
    expect(enc.values.bucket).toBe('${aws_s3_bucket.art.id}');
    const rule = (enc.values.rule as any[])[0];
    expect(rule.apply_server_side_encryption_by_default[0].kms_master_key_id).toBe('${aws_kms_key.k.arn}');
    expect(rule.apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
    const bucket = m.get('planned', 'aws_s3_bucket.art')!;
    expect(m.referencing(bucket).map((n) => n.address).sort()).toEqual([
      'aws_s3_bucket_policy.art',
      'aws_s3_bucket_public_access_block.art',
      'aws_s3_bucket_server_side_encryption_configuration.art',
      'data.aws_iam_policy_document.rw',
      'data.aws_iam_policy_document.tls',
    ]);
    expect(bucket.values.arn).toBeInstanceOf(Unknown);
    expect(bucket.values.bucket).toBe('gantry-plan-artifacts');
  });

  it('normalises the role: trust from prior_state json, attached and inline policies with scoped references', () => {
    const [role] = m.principals();
    expect(role.node.address).toBe('aws_iam_role.build');
    expect(role.trust!.document!.statements[0]).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRole'], principal: { Service: ['codebuild.amazonaws.com'] }, conditions: { StringEquals: { 'aws:SourceAccount': ['123456789012'] } } });
    const names = role.policies.map((p) => p.name).sort();
    expect(names).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'aws_iam_policy.rw', 'aws_iam_role_policy.inline']);
    const rw = role.policies.find((p) => p.name === 'aws_iam_policy.rw')!;
    expect(rw.document!.statements.map((s) => [s.sid, s.resources])).toEqual([
      ['RW', ['${aws_s3_bucket.art.arn}/*']],
      ['Logs', ['arn:aws:logs:eu-west-1:123456789012:log-group:/x:*']],
    ]);
    const inline = role.policies.find((p) => p.name === 'aws_iam_role_policy.inline')!;
    expect(inline.document!.statements[0]).toMatchObject({ actions: ['kms:Decrypt'], resources: ['${aws_kms_key.k.arn}'] });
    const tls = m.resourcePolicies().find((r) => r.policy.name === 'aws_s3_bucket_policy.art')!;
    expect(tls.target!.address).toBe('aws_s3_bucket.art');
    expect(tls.policy.document!.statements[0]).toMatchObject({ sid: 'TLS', effect: 'Deny', principal: { AWS: ['*'] }, conditions: { Bool: { 'aws:SecureTransport': ['false'] } } });
  });

  it('maps every plan action, including replace in both orders', () => {
    const p = JSON.parse(JSON.stringify(plan));
    const rcs = p.resource_changes as any[];
    const set = (addr: string, actions: string[]) => {
      const rc = rcs.find((r) => r.address === addr);
      rc.change.actions = actions;
      rc.change.before = { bucket: 'old' };
    };
    set('aws_s3_bucket.logs[0]', ['delete', 'create']);
    set('aws_s3_bucket.logs[1]', ['create', 'delete']);
    set('aws_s3_bucket.each["one"]', ['delete']);
    set('aws_s3_bucket.each["two"]', ['no-op']);
    set('aws_s3_bucket.art', ['update']);
    const pm = modelFromPlan(p, 'x');
    expect(pm.get('x', 'aws_s3_bucket.logs[0]')!.action).toBe('replace');
    expect(pm.get('x', 'aws_s3_bucket.logs[1]')!.action).toBe('replace');
    expect(pm.get('x', 'aws_s3_bucket.each["one"]')!).toMatchObject({ action: 'delete', values: { bucket: 'old' } });
    expect(pm.get('x', 'aws_s3_bucket.each["two"]')!.action).toBe('no-op');
    expect(pm.get('x', 'aws_s3_bucket.art')!.action).toBe('update');
    rcs[0].change.actions = ['explode'];
    expect(() => modelFromPlan(p, 'x', { file: 'p.json' })).toThrow(/p\.json: resource_changes\[0\]\.change\.actions \["explode"\] is not a Terraform plan action/);
  });
});

describe('modelFromPlan on hand-made plans', () => {
  const base = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [],
        child_modules: [
          {
            address: 'module.app',
            resources: [{ address: 'module.app.aws_sns_topic.t[0]', mode: 'managed', type: 'aws_sns_topic', name: 't', index: 0, values: { name: 'n' } }],
            child_modules: [{ address: 'module.app.module.inner', resources: [{ address: 'module.app.module.inner.aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', values: {} }] }],
          },
        ],
      },
    },
    resource_changes: [
      {
        address: 'module.app.aws_sns_topic_policy.p',
        module_address: 'module.app',
        mode: 'managed',
        type: 'aws_sns_topic_policy',
        name: 'p',
        change: { actions: ['create'], after: {}, after_unknown: { arn: true, policy: true } },
      },
    ],
    configuration: {
      root_module: {
        module_calls: {
          app: {
            module: {
              resources: [
                { address: 'aws_sns_topic_policy.p', expressions: { arn: { references: ['aws_sns_topic.t[0].arn', 'aws_sns_topic.t[0]', 'aws_sns_topic.t'] }, policy: { references: ['var.policy'] } } },
              ],
            },
          },
        },
      },
    },
  };

  it('walks child modules and resolves module-local references', () => {
    const m = modelFromPlan(base, 'mods');
    expect(m.resources.map((n) => n.address).sort()).toEqual(['module.app.aws_sns_topic.t[0]', 'module.app.aws_sns_topic_policy.p', 'module.app.module.inner.aws_kms_key.k']);
    const p = m.get('mods', 'module.app.aws_sns_topic_policy.p')!;
    expect(p.module).toBe('module.app');
    expect(p.values.arn).toBe('${aws_sns_topic.t[0].arn}');
    expect(p.values.policy).toBeInstanceOf(Unknown);
    expect(m.referencedBy(p).map((n) => n.address)).toEqual(['module.app.aws_sns_topic.t[0]']);
    const rp = m.resourcePolicies()[0];
    expect(rp.target!.address).toBe('module.app.aws_sns_topic.t[0]');
    expect(rp.policy.unresolved).toMatch(/known after apply/);
  });

  it('refuses plans of the wrong shape with one line naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ format_version: '2.0', planned_values: {} }, /format_version 2\.0 is not supported/],
      [{ format_version: '1.2', resource_changes: {} }, /resource_changes must be an array, found an object/],
      [{ format_version: '1.2', resource_changes: [5] }, /resource_changes\[0\] must be an object/],
      [{ format_version: '1.2', resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b' }] }, /change is missing/],
      [{ format_version: '1.2', resource_changes: [{ address: 'a.b', mode: 'weird', type: 'a', name: 'b', change: { actions: ['create'] } }] }, /mode must be/],
      [{ format_version: '1.2', planned_values: { root_module: { resources: [{ address: 3 }] } } }, /address must be a non-empty string/],
      [{ format_version: '1.2', planned_values: { root_module: { child_modules: 'x' } } }, /child_modules must be an array/],
      [{ format_version: '1.2', resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b', change: { actions: ['create'], after: 'str' } }] }, /after must be an object/],
      [{ format_version: 1 }, /not a Terraform plan/],
      [[1], /top level is an array/],
    ];
    for (const [p, re] of cases) {
      let err: unknown;
      try {
        modelFromPlan(p, 's', { file: 'bad.json' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect(String((err as Error).message)).toMatch(/^bad\.json: /);
      expect(String((err as Error).message)).toMatch(re);
    }
  });
});
