import raw from '../../policies/data/quotas/quotas.json';
import { loadSnapshot, parseSnapshot, snapshotSchemas } from '../../auditor/quotas/snapshot';

/** A deep copy of the bundled snapshot with one change made by `edit`. */
function corrupt(edit: (s: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(raw));
  edit(copy);
  return copy;
}

describe('the quota snapshot check', () => {
  it('the bundled snapshot satisfies the full schema (URLs, patterns) the run-time check leaves to tests', () => {
    const parsed = snapshotSchemas().SnapshotSchema.safeParse(raw);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(loadSnapshot().quotas.length).toBeGreaterThan(0);
  });

  it.each<[string, (s: any) => void, RegExp]>([
    ['a default value given as text', (s) => (s.quotas[0].defaultValue = '1000'), /quotas\.0\.defaultValue/],
    ['a zero default value', (s) => (s.quotas[0].defaultValue = 0), /quotas\.0\.defaultValue/],
    ['counts not a list', (s) => (s.quotas[0].counts = { type: 'aws_s3_bucket' }), /quotas\.0\.counts/],
    ['no counts', (s) => (s.quotas[0].counts = []), /quotas\.0\.counts/],
    ['a count rule without a resource type', (s) => delete s.quotas[0].counts[0].type, /quotas\.0\.counts\.0\.type/],
    ['a where value that is not a list', (s) => (s.quotas[0].counts[0].where = { mode: 'x' }), /quotas\.0\.counts\.0\.where\.mode/],
    ['an unknown scope', (s) => (s.quotas[0].scope = 'planet'), /quotas\.0\.scope/],
    ['an unknown usage source', (s) => (s.quotas[0].usage = 'guess'), /quotas\.0\.usage/],
    ['a group path that is not text', (s) => (s.quotas[0].groupBy = { path: 1, label: 'x' }), /quotas\.0\.groupBy\.path/],
    ['a regional default that is not a number', (s) => (s.quotas[0].regionalDefaults = { 'us-east-1': '5' }), /quotas\.0\.regionalDefaults\.us-east-1/],
    ['usage metric dimensions missing', (s) => (s.quotas[0].usageMetric = { namespace: 'n', name: 'n', statistic: 's' }), /quotas\.0\.usageMetric\.dimensions/],
    ['evidence of an unknown kind', (s) => (s.quotas[0].evidence[0].kind = 'rumour'), /quotas\.0\.evidence\.0\.kind/],
    ['a bad checked date', (s) => (s.structural[0].checked = 'yesterday'), /structural\.0\.checked/],
    ['a structural limit as a string', (s) => (s.structural[0] = 'x'), /structural\.0/],
    ['no quota list', (s) => delete s.quotas, /quotas/],
  ])('refuses %s with one line naming the file and the field', (_what, edit, where) => {
    let message = '';
    try {
      parseSnapshot(corrupt(edit));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^policies\/data\/quotas\/quotas\.json: /);
    expect(message).toMatch(where);
    expect(message).not.toContain('\n');
  });

  it('refuses a snapshot that is not an object', () => {
    expect(() => parseSnapshot(null)).toThrow(/^policies\/data\/quotas\/quotas\.json: /);
    expect(() => parseSnapshot([])).toThrow(/^policies\/data\/quotas\/quotas\.json: /);
  });
});
