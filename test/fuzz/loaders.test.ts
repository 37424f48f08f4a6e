/**
 * Fuzzing the loaders with fast-check: generated and mutated inputs either load into a model
 * (whose IAM views can be built) or are refused with a UserError; nothing else ever escapes, and
 * Object.prototype stays clean. Prints how many inputs it ran.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadInputs, modelFromPlan, modelFromTerraformJson } from '../../auditor/load';
import { UserError } from '../../auditor/errors';
import type { ResourceModel } from '../../auditor/model/types';

const IN = path.join(__dirname, '..', 'fixtures', 'inputs');
const read = (p: string) => JSON.parse(fs.readFileSync(path.join(IN, p), 'utf8'));
const CONFIGS = [read('synth-out/stacks/state/cdk.tf.json'), read('synth-out/stacks/pipeline-app/cdk.tf.json'), read('plan-src/main.tf.json'), read('tfdir/main.tf.json')];
const PLAN = read('plan/small.plan.json');
const TEXTS = [...CONFIGS, PLAN].map((c) => JSON.stringify(c));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-fuzz-'));

let ran = 0;
let loaded = 0;
let refused = 0;

function exercise(m: ResourceModel): void {
  // Everything a rule may call must hold up on what the loader accepted.
  for (const p of m.principals()) void p.policies.length;
  void m.resourcePolicies().length;
  for (const n of m.resources) {
    m.referencedBy(n);
    m.referencing(n);
    m.resolve(n.stack, n.values.policy, n);
  }
}

/** Run one input: a model or a UserError, never anything else; the prototype stays clean. */
function check(load: () => ResourceModel): void {
  ran++;
  try {
    exercise(load());
    loaded++;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    if (e.message.includes('\n') || !e.message.trim()) throw new Error(`UserError not one line: ${JSON.stringify(e.message)}`);
    refused++;
  }
  if (Object.keys(Object.prototype).length || ({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

/** Every [parent, key] in a JSON value, for mutation. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), slots((v as Record<string, unknown>)[k], out);
  return out;
}

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '//', 'count', 'for_each', 'resource', 'statement', 'policy', 'Statement', 'Principal', '');
const value = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('${aws_s3_bucket.art.arn}', '${data.aws_iam_policy_document.rw.json}', '${jsonencode({"Statement" = [{"Effect" = "Allow"', '${jsonencode({a = [b.c.d, "${e', '*', '', null, -1, 1e308, [], {}, { __proto__: 1 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
);
const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('replace', 'delete', 'addKey'), key: fc.oneof(hostileKey, fc.string({ maxLength: 8 })), value });

function mutate(base: unknown, muts: { at: number; kind: string; key: string; value: unknown }[]): unknown {
  const doc = structuredClone(base);
  for (const mu of muts) {
    const all = slots(doc);
    if (!all.length) break;
    const [parent, key] = all[mu.at % all.length];
    const target = (parent as Record<string | number, unknown>)[key as string];
    if (mu.kind === 'replace') (parent as Record<string | number, unknown>)[key as string] = structuredClone(mu.value);
    else if (mu.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (target && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, mu.key, { value: structuredClone(mu.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return doc;
}

const deepText = fc.record({ depth: fc.integer({ min: 1, max: 300000 }), open: fc.constantFrom('[', '{"a":'), wrap: fc.boolean() }).map(({ depth, open, wrap }) => {
  const close = open === '[' ? ']' : '}';
  const body = open.repeat(depth) + '1' + close.repeat(depth);
  return wrap ? `{"resource":{"aws_s3_bucket":{"a":{"tags":${body}}}}}` : body;
});

const textMutation = fc.record({ base: fc.nat(), cut: fc.nat(), insert: fc.string({ maxLength: 6 }), bytes: fc.uint8Array({ maxLength: 16 }), kind: fc.constantFrom('truncate', 'insert', 'bytes', 'proto') });

function mutateText(t: { base: number; cut: number; insert: string; bytes: Uint8Array; kind: string }): Buffer {
  const text = TEXTS[t.base % TEXTS.length];
  const at = t.cut % (text.length + 1);
  switch (t.kind) {
    case 'truncate':
      return Buffer.from(text.slice(0, at));
    case 'insert':
      return Buffer.from(text.slice(0, at) + t.insert + text.slice(at));
    case 'proto': {
      const brace = text.indexOf('{', at);
      return Buffer.from(brace < 0 ? text : `${text.slice(0, brace + 1)}"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},${text.slice(brace + 1)}`);
    }
    default:
      return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(t.bytes), Buffer.from(text.slice(at))]);
  }
}

let fileNo = 0;
function viaFile(content: Buffer | string, name: string): () => ResourceModel {
  const p = path.join(TMP, `${fileNo++ % 50}-${name}`);
  fs.writeFileSync(p, content);
  return () => loadInputs([p]);
}

describe('loader fuzzing', () => {
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`loader fuzz: ${ran} inputs (${loaded} loaded, ${refused} refused with a UserError, 0 other errors)`);
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('mutated Terraform configs', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (b, muts) => check(() => modelFromTerraformJson({ s: mutate(CONFIGS[b % CONFIGS.length], muts) }))),
      { numRuns: 3000 },
    );
  });

  it('mutated plans', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => check(() => modelFromPlan(mutate(PLAN, muts), 'p'))), { numRuns: 1500 });
  });

  it('random JSON values as configs and as plans', () => {
    const planish = fc.record({ format_version: fc.constantFrom('1.0', '1.2', '2.0', 1), planned_values: fc.jsonValue({ maxDepth: 4 }), resource_changes: fc.jsonValue({ maxDepth: 4 }), configuration: fc.jsonValue({ maxDepth: 4 }), prior_state: fc.jsonValue({ maxDepth: 4 }) }, { requiredKeys: ['format_version'] });
    const configish = fc.record({ resource: fc.jsonValue({ maxDepth: 4 }), data: fc.jsonValue({ maxDepth: 4 }), provider: fc.jsonValue({ maxDepth: 3 }), terraform: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), planish, configish), (v) => {
        check(() => modelFromTerraformJson({ s: v }));
        check(() => modelFromPlan(v, 'p'));
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated and random bytes on disk', () => {
    fc.assert(fc.property(textMutation, (t) => check(viaFile(mutateText(t), 'in.json'))), { numRuns: 1500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => check(viaFile(Buffer.from(bytes), 'rand.tf.json'))), { numRuns: 500 });
  });

  it('deep nesting, on disk and in memory', () => {
    fc.assert(fc.property(deepText, (t) => check(viaFile(t, 'deep.tf.json'))), { numRuns: 150 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200000 }), (depth) => {
        let v: unknown = 'x';
        for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
        check(() => modelFromTerraformJson({ s: { resource: { aws_s3_bucket: { a: { tags: v } } } } }));
      }),
      { numRuns: 100 },
    );
  });

  it('ran at least 10,000 inputs, and both outcomes occurred', () => {
    expect(ran).toBeGreaterThanOrEqual(10000);
    expect(loaded).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });
});
