import { countDemand, matches, valuesAt } from '../../auditor/quotas/count';
import { loadSnapshot, type CountRule } from '../../auditor/quotas/snapshot';
import { Unknown } from '../../auditor/model/types';
import { fakeModel } from './fake-model';

const node = (values: Record<string, unknown>, type = 'aws_codebuild_project') => fakeModel([{ type, name: 'n', values }]).resources[0];

describe('valuesAt', () => {
  it('searches nested blocks written as objects or arrays and flattens list values one level, in order', () => {
    const values = {
      environment: [{ type: 'A', vars: ['x', 'y'] }, { type: ['B', 'C'] }, 'not-a-block', { other: 1 }, [{ type: 'nested-array' }]],
      single: { type: 'S' },
      unknown: new Unknown(),
    };
    expect(valuesAt(values, 'environment.type')).toEqual(['A', 'B', 'C']);
    expect(valuesAt(values, 'environment.vars')).toEqual(['x', 'y']);
    expect(valuesAt(values, 'single.type')).toEqual(['S']);
    expect(valuesAt(values, 'unknown.reason')).toEqual([]);
    expect(valuesAt(values, 'missing.type')).toEqual([]);
  });

  it('reads only own keys (a prototype-free value, a `__proto__` key)', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.__proto__ = 'own';
    expect(valuesAt({ b: bare }, 'b.__proto__')).toEqual(['own']);
    expect(valuesAt({ b: {} }, 'b.toString')).toEqual([]);
  });
});

describe('matches (where / whereNot)', () => {
  const rule = (where?: CountRule['where'], whereNot?: CountRule['whereNot']): CountRule => ({ type: 'aws_codebuild_project', where, whereNot });

  it('compares strings case-insensitively, a string with a boolean by its text, other scalars strictly', () => {
    const n = node({ environment: [{ type: 'linux_container', privileged: 'true', size: 2 }] });
    expect(matches(n, rule({ 'environment.type': ['LINUX_CONTAINER'] }))).toBe(true);
    expect(matches(n, rule({ 'environment.type': ['ARM_CONTAINER'] }))).toBe(false);
    expect(matches(n, rule({ 'environment.privileged': [true] }))).toBe(true);
    expect(matches(n, rule({ 'environment.size': [2] }))).toBe(true);
    expect(matches(n, rule({ 'environment.size': ['2'] }))).toBe(false);
  });

  it('needs every where path to hold an allowed value (any of a list), and no whereNot path a denied one', () => {
    const n = node({ environment: [{ type: 'A' }, { type: 'B' }], fifo: [false, true] });
    expect(matches(n, rule({ 'environment.type': ['B'] }))).toBe(true);
    expect(matches(n, rule({ 'environment.type': ['B'], missing: ['x'] }))).toBe(false);
    expect(matches(n, rule(undefined, { fifo: [true] }))).toBe(false);
    expect(matches(n, rule(undefined, { missing: [true] }))).toBe(true);
  });

  it('checks type and mode', () => {
    expect(matches(node({}, 'aws_s3_bucket'), rule())).toBe(false);
    expect(matches({ ...node({}), mode: 'data' }, rule())).toBe(false);
  });
});

describe('countDemand', () => {
  it('lists each counted block once per stack, adding instances, and at most 20 blocks per row', () => {
    const nodes = [
      ...Array.from({ length: 3 }, (_, i) => ({ type: 'aws_codepipeline', name: 'p', index: i, action: 'create' as const })),
      { stack: 'other', type: 'aws_codepipeline', name: 'p', index: 0, action: 'create' as const },
      ...Array.from({ length: 25 }, (_, i) => ({ type: 'aws_codepipeline', name: `q${i}`, action: 'create' as const })),
      { type: 'aws_codepipeline', name: 'p', index: 3, action: 'create' as const },
    ];
    const stacks = [
      { name: 'plan', file: 'plan.json', kind: 'plan' as const, region: 'eu-west-1' },
      { name: 'other', file: 'other.json', kind: 'plan' as const, region: 'eu-west-1' },
    ];
    const quotas = loadSnapshot().quotas.filter((q) => q.id === 'codepipeline-pipelines');
    const [d] = countDemand(fakeModel(nodes, stacks), quotas);
    expect(d.planned).toBe(30);
    expect(d.resources).toHaveLength(20);
    expect(d.truncated).toBe(true);
    expect(d.resources.slice(0, 3)).toEqual([
      { stack: 'plan', address: 'aws_codepipeline.p', type: 'aws_codepipeline', count: 4 },
      { stack: 'other', address: 'aws_codepipeline.p', type: 'aws_codepipeline', count: 1 },
      { stack: 'plan', address: 'aws_codepipeline.q0', type: 'aws_codepipeline', count: 1 },
    ]);
  });
});
