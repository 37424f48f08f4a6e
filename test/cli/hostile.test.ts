/** Hostile and malformed inputs: exit 2, one line naming the input, never a stack trace, never a polluted prototype. */
import { cli, expectOneLineError, plantedConfig, tmpdir, write } from './harness';
import { PEERS } from './peers';

const cwd = tmpdir();
const run = (args: string[]) => cli(args, cwd, PEERS);

describe('gantry audit on hostile input', () => {
  it.each([
    ['a missing path', () => 'missing.tf.json'],
    ['an empty file', () => (write(cwd, 'empty.tf.json', ''), 'empty.tf.json')],
    ['truncated JSON', () => (write(cwd, 'trunc.tf.json', JSON.stringify(plantedConfig()).slice(0, 200)), 'trunc.tf.json')],
    ['not JSON at all', () => (write(cwd, 'text.tf.json', 'resource "aws_s3_bucket" "b" {}\n'), 'text.tf.json')],
    ['JSON that is not Terraform', () => (write(cwd, 'other.json', { name: 'package', version: '1.0.0' }), 'other.json')],
    ['a JSON array', () => (write(cwd, 'arr.tf.json', '[1,2,3]'), 'arr.tf.json')],
    ['200,000-deep nesting', () => (write(cwd, 'deep.tf.json', `{"resource":${'['.repeat(200_000)}${']'.repeat(200_000)}}`), 'deep.tf.json')],
    ['200,000-deep objects', () => (write(cwd, 'deepo.tf.json', `{"resource":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`), 'deepo.tf.json')],
    ['an empty folder', () => (write(cwd, 'emptydir/.keep', ''), 'emptydir')],
    ['a resource that is a string', () => (write(cwd, 'str.tf.json', { resource: { aws_s3_bucket: 'nope' } }), 'str.tf.json')],
  ])('%s: exit 2 with one line naming the input', async (_what, make) => {
    const input = make();
    const r = await run(['audit', input, '--format', 'json']);
    expectOneLineError(r);
    expect(r.stderr).toContain(input);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('keys like __proto__ and constructor neither crash the audit nor reach prototypes', async () => {
    // as a block type: refused as input, in one line
    write(cwd, 'proto-type.tf.json', `{"resource":{"__proto__":{"polluted":{"x":1}},"constructor":{"prototype":{"polluted":true}}}}`);
    const bad = await run(['audit', 'proto-type.tf.json', '--format', 'json']);
    expectOneLineError(bad, /proto-type\.tf\.json: /);
    expect(bad.stderr).not.toMatch(/internal error/);
    // as names and attribute keys: audited like any other
    write(cwd, 'proto.tf.json', `{"resource":{"aws_s3_bucket":{"__proto__":{"bucket":"x"},"constructor":{"bucket":"y","tags":{"__proto__":{"polluted":"yes"},"constructor":"c"}}}}}`);
    const r = await run(['audit', 'proto.tf.json', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
    const rep = JSON.parse(r.stdout);
    expect(rep.schemaVersion).toBe(1);
    expect(rep.findings.map((f: { resource: string }) => f.resource)).toEqual(expect.arrayContaining(['aws_s3_bucket.__proto__', 'aws_s3_bucket.constructor']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'bucket')).toBe(false);
  });

  it('an internal bug is one line too, with the stack only under GANTRY_DEBUG=1', async () => {
    write(cwd, 'ok.tf.json', plantedConfig());
    const boom = { ...PEERS, estimateCost: () => Promise.reject(new Error('kaboom\n    at fake (x.js:1:1)')) };
    const r = await cli(['audit', 'ok.tf.json', '--budget', '10'], cwd, boom);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gantry: internal error: kaboom at fake (x.js:1:1)\n');
    const d = await cli(['audit', 'ok.tf.json', '--budget', '10'], cwd, boom, { GANTRY_DEBUG: '1' });
    expect(d.code).toBe(2);
    expect(d.stderr.split('\n').length).toBeGreaterThan(2);
    // without --budget a pricing failure is a warning in the report, not a failed audit
    const w = await cli(['audit', 'ok.tf.json', '--format', 'json', '--fail-on', 'none'], cwd, boom);
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout).notes).toEqual(expect.arrayContaining([expect.stringMatching(/cost was not estimated: kaboom/)]));
  });
});
