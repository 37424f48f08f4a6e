import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInputs } from '../../auditor/load';
import { UserError } from '../../auditor/errors';

const IN = path.join(__dirname, '..', 'fixtures', 'inputs');
const H = (f: string) => path.join(IN, 'hostile', f);

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw new Error(`expected a UserError, got ${String(e)}`);
  }
  throw new Error('expected a UserError, nothing was thrown');
}

describe('loadInputs', () => {
  it('reads a cdktf.out folder through manifest.json: every stack, metadata and backend', () => {
    const m = loadInputs([path.join(IN, 'synth-out')]);
    expect(m.stacks.map((s) => s.name)).toEqual(['state', 'pipeline-app']);
    expect(m.stacks[1]).toMatchObject({ kind: 'config', region: 'us-east-1', backend: { type: 's3', config: expect.objectContaining({ encrypt: true, dynamodb_table: 'gantry-lock' }) } });
    expect(m.stacks[1].file).toBe(path.join(path.resolve(IN, 'synth-out'), 'stacks', 'pipeline-app', 'cdk.tf.json'));
    const role = m.get('pipeline-app', 'aws_iam_role.pipeline')!;
    expect(role.constructPath).toBe('pipeline-app/pipeline/role');
    expect(role.suppressions).toEqual([{ ruleId: 'iam/trust-service-source', reason: "pipeline role trusted by this account's CodePipeline only", origin: 'code' }]);
    const p = m.get('pipeline-app', 'aws_codepipeline.p')!;
    expect(m.referencedBy(p).map((n) => n.address).sort()).toEqual(['aws_iam_role.pipeline', 'aws_s3_bucket.artifacts']);
    expect(m.principals()[0].trust!.document!.statements[0].principal).toEqual({ Service: ['codepipeline.amazonaws.com'] });
    expect(m.inputs).toEqual([path.join(IN, 'synth-out')]);
  });

  it('reads UTF-8 text the same whether or not it is ASCII: a BOM, non-Latin-1 text, bytes that are not UTF-8', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-utf8-'));
    const config = { resource: { aws_s3_bucket: { b: { bucket: 'b', tags: { Owner: 'Zoë 😀 → ✓' } } } } };
    const text = JSON.stringify(config);
    const write = (name: string, bytes: Buffer) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    const ascii = loadInputs([write('ascii.tf.json', Buffer.from(JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: 'b' } } } })))]);
    expect(ascii.get('ascii', 'aws_s3_bucket.b')!.values.bucket).toBe('b');
    const utf8 = loadInputs([write('utf8.tf.json', Buffer.from(text, 'utf8'))]);
    expect(utf8.get('utf8', 'aws_s3_bucket.b')!.values.tags).toEqual({ Owner: 'Zoë 😀 → ✓' });
    const bom = loadInputs([write('bom.tf.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))]);
    expect(bom.get('bom', 'aws_s3_bucket.b')!.values.tags).toEqual({ Owner: 'Zoë 😀 → ✓' });
    // A byte that is not UTF-8 reads as U+FFFD, as Node's UTF-8 decoding has it.
    const bad = loadInputs([write('bad.tf.json', Buffer.from('{"resource":{"aws_s3_bucket":{"b":{"bucket":"a\xffb"}}}}', 'latin1'))]);
    expect(bad.get('bad', 'aws_s3_bucket.b')!.values.bucket).toBe('a\ufffdb');
  });

  it('reads a cdktf.out folder without a manifest (stacks/*/cdk.tf.json), and one stack folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-noman-'));
    fs.cpSync(path.join(IN, 'synth-out', 'stacks'), path.join(dir, 'stacks'), { recursive: true });
    expect(loadInputs([dir]).stacks.map((s) => s.name)).toEqual(['pipeline-app', 'state']);
    const one = loadInputs([path.join(IN, 'synth-out', 'stacks', 'state')]);
    expect(one.stacks.map((s) => s.name)).toEqual(['state']);
    expect(one.get('state', 'aws_dynamodb_table.lock')).toBeDefined();
    const file = loadInputs([path.join(IN, 'synth-out', 'stacks', 'state', 'cdk.tf.json')]);
    expect(file.stacks[0].name).toBe('state');
  });

  it('reads a folder of *.tf.json as one stack named after the folder, applying override files last', () => {
    const m = loadInputs([path.join(IN, 'tfdir')]);
    expect(m.stacks).toEqual([expect.objectContaining({ name: 'tfdir', region: 'eu-central-1' })]);
    expect(m.resources.map((n) => n.address).sort()).toEqual(['aws_cloudwatch_log_group.build', 'aws_kms_key.k', 'aws_sns_topic.alerts']);
    const topic = m.get('tfdir', 'aws_sns_topic.alerts')!;
    expect(topic.values).toMatchObject({ name: 'alerts', kms_master_key_id: '${aws_kms_key.k.arn}' });
    expect(m.referencedBy(topic).map((n) => n.address)).toEqual(['aws_kms_key.k']);
  });

  it('reads a plan JSON by content and merges several inputs with unique stack names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-planin-'));
    const plan = { format_version: '1.2', planned_values: { root_module: { resources: [{ address: 'aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', values: { name: 'x' } }] } } };
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(plan));
    const m = loadInputs([path.join(IN, 'synth-out'), path.join(dir, 'state.json'), path.join(IN, 'synth-out', 'stacks', 'state')]);
    expect(m.stacks.map((s) => [s.name, s.kind])).toEqual([
      ['state', 'config'],
      ['pipeline-app', 'config'],
      ['state-2', 'plan'],
      ['state-3', 'config'],
    ]);
    expect(m.get('state-2', 'aws_sns_topic.t')!.values.name).toBe('x');
    expect(new Set(m.resources.map((n) => n.id)).size).toBe(m.resources.length);
  });

  it('turns every hostile input into one line naming the file and the problem', () => {
    const cases: [string, RegExp][] = [
      [path.join(IN, 'does-not-exist'), /no such file or directory/],
      [H('empty.json'), /is empty/],
      [H('truncated.tf.json'), /not valid JSON: it ends early/],
      [H('hcl.tf.json'), /is not valid JSON \(/],
      [H('binary.json'), /is not valid JSON/],
      [H('neither.json'), /neither a Terraform JSON configuration nor a plan/],
      [H('array-root.json'), /neither a Terraform JSON configuration nor a plan \(the top level is an array\)/],
      [H('wrong-types.tf.json'), /'resource' must be an object, found a number/],
      [H('bad-plan.json'), /resource_changes\[0\]\.change must be an object, found a string/],
      [fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-emptydir-')), /nothing to audit here/],
    ];
    for (const [p, re] of cases) {
      const e = userError(() => loadInputs([p]));
      expect(e.message.slice(0, p.length + 2)).toBe(`${p}: `);
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain('\n');
      expect(e.message.length).toBeLessThan(300);
    }
    expect(userError(() => loadInputs([])).message).toMatch(/no input/);
  });

  it('never echoes the text of a file it cannot parse', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-secret-'));
    const secretish = path.join(dir, 'credentials.json');
    fs.writeFileSync(secretish, 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n');
    const e = userError(() => loadInputs([secretish]));
    expect(e.message).toBe(`${secretish}: is not valid JSON (Unexpected token 'a')`);
    const midway = path.join(dir, 'mid.json');
    fs.writeFileSync(midway, '{"password": "hunter2-hunter2", "x": }');
    expect(userError(() => loadInputs([midway])).message).not.toMatch(/hunter2/);
  });

  it('refuses 200,000-deep nesting before any recursion, and files over the size cap', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-deep-'));
    const deep = path.join(dir, 'deep.tf.json');
    fs.writeFileSync(deep, `{"resource":{"aws_s3_bucket":{"a":{"tags":${'['.repeat(200000)}${']'.repeat(200000)}}}}}`);
    expect(userError(() => loadInputs([deep])).message).toMatch(/deep\.tf\.json: nesting deeper than 256 levels/);
    const big = path.join(IN, 'tfdir', 'main.tf.json');
    expect(userError(() => loadInputs([big], { maxBytes: 100 })).message).toMatch(/is 0\.\d\d MiB, over the 0\.00 MiB input limit/);
    expect(userError(() => loadInputs([path.join(IN, 'tfdir')], { maxDepth: 3 })).message).toMatch(/nesting deeper than 3 levels/);
  });

  it('refuses manifests that point outside their folder, and duplicate declarations', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-man-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: { x: { synthesizedStackPath: '../../etc/passwd' } } }));
    expect(userError(() => loadInputs([dir])).message).toMatch(/manifest\.json: stack 'x' points outside the folder/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: [] }));
    expect(userError(() => loadInputs([dir])).message).toMatch(/not a cdktf manifest/);
    const dup = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-dup-'));
    fs.writeFileSync(path.join(dup, 'a.tf.json'), JSON.stringify({ resource: { aws_sns_topic: { t: {} } } }));
    fs.writeFileSync(path.join(dup, 'b.tf.json'), JSON.stringify({ resource: { aws_sns_topic: { t: {} } } }));
    expect(userError(() => loadInputs([dup])).message).toMatch(/b\.tf\.json: aws_sns_topic\.t is also declared in .*a\.tf\.json/);
  });

  it('keeps __proto__ and constructor keys away from prototypes', () => {
    expect(userError(() => loadInputs([H('proto.tf.json')])).message).toMatch(/block type '__proto__' that is not a Terraform resource type/);
    const m = loadInputs([H('proto-values.tf.json')]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const a = m.get('proto-values', 'aws_s3_bucket.a')!;
    expect(Object.keys(a.values)).toEqual(['__proto__', 'constructor', 'bucket']);
    expect(Object.getPrototypeOf(a.values)).toBeNull();
    expect(m.resources.map((n) => n.address)).toEqual(['aws_s3_bucket.a']);
  });
});
