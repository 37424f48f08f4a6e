import type { Rule } from '../../policies/rule';
import { AUDIT_RESOURCE, atOrAbove, runRules } from '../../auditor/engine';
import { ctx, fakeModel, node } from './fake-model';

const bucketA = node('app', 'aws_s3_bucket.a');
const bucketB = node('app', 'aws_s3_bucket.b');
const role = node('base', 'aws_iam_role.r');
const model = fakeModel([bucketA, bucketB, role]);

function rule(id: string, severity: Rule['severity'], check: Rule['check']): Rule {
  return { id, title: id, category: 'encryption', severity, rationale: 'why it matters', remediation: `fix ${id}`, check };
}

describe('runRules', () => {
  it('turns rule results into contract findings with the rule default or the result severity', () => {
    const r = rule('encryption/x', 'high', (m) => [
      { node: m.get('app', 'aws_s3_bucket.b')!, message: 'b is bad' },
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'a is less bad', severity: 'low', detail: 'AES256' },
    ]);
    const { findings, ruleErrors } = runRules(model, [r], ctx(), { cwd: '/work/in' });
    expect(ruleErrors).toEqual([]);
    expect(findings).toEqual([
      { ruleId: 'encryption/x', category: 'encryption', severity: 'high', resource: 'aws_s3_bucket.b', stack: 'app', message: 'b is bad', remediation: 'fix encryption/x', suppressed: false, suppressionReason: null, file: 'app/cdk.tf.json' },
      { ruleId: 'encryption/x', category: 'encryption', severity: 'low', resource: 'aws_s3_bucket.a', stack: 'app', message: 'a is less bad', remediation: 'fix encryption/x', suppressed: false, suppressionReason: null, detail: 'AES256', file: 'app/cdk.tf.json' },
    ]);
  });

  it('orders findings by severity, rule, stack, resource whatever order rules return them in', () => {
    const r1 = rule('z/low', 'low', (m) => [{ node: m.get('app', 'aws_s3_bucket.a')!, message: 'm' }]);
    const r2 = rule('a/medium', 'medium', (m) => [{ node: m.get('base', 'aws_iam_role.r')!, message: 'm' }, { node: m.get('app', 'aws_s3_bucket.b')!, message: 'm' }, { node: m.get('app', 'aws_s3_bucket.a')!, message: 'm' }]);
    const r3 = rule('b/medium', 'medium', (m) => [{ node: m.get('app', 'aws_s3_bucket.a')!, message: 'm', severity: 'critical' }]);
    const keys = (rules: Rule[]) => runRules(model, rules, ctx()).findings.map((f) => `${f.severity} ${f.ruleId} ${f.stack}/${f.resource}`);
    const expected = ['critical b/medium app/aws_s3_bucket.a', 'medium a/medium app/aws_s3_bucket.a', 'medium a/medium app/aws_s3_bucket.b', 'medium a/medium base/aws_iam_role.r', 'low z/low app/aws_s3_bucket.a'];
    expect(keys([r1, r2, r3])).toEqual(expected);
    expect(keys([r3, r1, r2])).toEqual(expected);
  });

  it('drops exact duplicates a rule reports twice', () => {
    const r = rule('x/dup', 'low', (m) => [{ node: m.get('app', 'aws_s3_bucket.a')!, message: 'same' }, { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same' }]);
    expect(runRules(model, [r], ctx()).findings).toHaveLength(1);
  });

  it('drops duplicates reported apart, or with another severity, keeping the first', () => {
    const apart = rule('x/apart', 'low', (m) => [
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same', detail: 'd' },
      { node: m.get('app', 'aws_s3_bucket.b')!, message: 'same', detail: 'd' },
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same', detail: 'd' },
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same' },
    ]);
    expect(runRules(model, [apart], ctx()).findings.map((f) => `${f.resource} ${f.detail ?? '-'}`)).toEqual(['aws_s3_bucket.a -', 'aws_s3_bucket.a d', 'aws_s3_bucket.b d']);
    const mixed = rule('x/mixed', 'low', (m) => [
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same', severity: 'high' },
      { node: m.get('app', 'aws_s3_bucket.b')!, message: 'same' },
      { node: m.get('app', 'aws_s3_bucket.a')!, message: 'same', severity: 'low' },
    ]);
    expect(runRules(model, [mixed], ctx()).findings.map((f) => `${f.severity} ${f.resource}`)).toEqual(['high aws_s3_bucket.a', 'low aws_s3_bucket.b']);
  });

  it('keeps auditing when a rule throws: one info finding naming the rule, counted in ruleErrors', () => {
    const bad = rule('iam/broken', 'critical', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')\n    at somewhere");
    });
    const good = rule('iam/good', 'high', (m) => [{ node: m.get('base', 'aws_iam_role.r')!, message: 'too broad' }]);
    const { findings, ruleErrors } = runRules(model, [bad, good], ctx());
    expect(ruleErrors).toEqual([{ ruleId: 'iam/broken', message: expect.stringContaining('Cannot read properties') }]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.resource])).toEqual([
      ['iam/good', 'high', 'aws_iam_role.r'],
      ['iam/broken', 'info', AUDIT_RESOURCE],
    ]);
    expect(findings[1].message).toMatch(/^rule iam\/broken failed and its checks were skipped: Cannot read properties of undefined \(reading 'x'\) at somewhere$/);
  });

  it('treats a rule returning a non-array as a failed rule', () => {
    const weird = rule('x/weird', 'low', () => undefined as unknown as []);
    expect(runRules(model, [weird], ctx()).ruleErrors).toHaveLength(1);
  });

  it('compares severities against --fail-on', () => {
    expect(atOrAbove('critical', 'high')).toBe(true);
    expect(atOrAbove('high', 'high')).toBe(true);
    expect(atOrAbove('medium', 'high')).toBe(false);
    expect(atOrAbove('info', 'low')).toBe(false);
    expect(atOrAbove('critical', 'none')).toBe(false);
  });
});
