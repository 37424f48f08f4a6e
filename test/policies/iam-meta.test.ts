import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IAM_RULES } from '../../policies/iam';
import { SEVERITY_ORDER } from '../../policies/rule';

const dir = join(__dirname, '..', '..', 'policies', 'iam');

describe('IAM rule catalogue', () => {
  it('has one rule per file in policies/iam/, each exported in IAM_RULES', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => `iam/${f.replace(/\.ts$/, '')}`)
      .sort();
    expect(IAM_RULES.map((r) => r.id).sort()).toEqual(files);
  });

  it.each(IAM_RULES.map((r) => [r.id, r] as const))('%s: id is its file path, metadata complete', (id, rule) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, `${id.slice('iam/'.length)}.ts`)) as { rule: unknown };
    expect(mod.rule).toBe(rule);
    expect(rule.category).toBe('iam');
    expect(SEVERITY_ORDER).toContain(rule.severity);
    expect(rule.title.trim().length).toBeGreaterThan(10);
    expect(rule.rationale.trim().length).toBeGreaterThan(40);
    expect(rule.remediation.trim().length).toBeGreaterThan(20);
    for (const c of rule.equivalents?.checkov ?? []) expect(c).toMatch(/^CKV2?_AWS_\d+$/);
    for (const t of rule.equivalents?.trivy ?? []) expect(t).toMatch(/^AVD-AWS-\d{4}$/);
    for (const n of rule.equivalents?.cdkNag ?? []) expect(n).toMatch(/^(AwsSolutions-IAM\d+|(NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-IAM[A-Za-z]+)$/);
  });
});
