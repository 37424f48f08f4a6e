// fast-xml-parser 3.x arrives with s3rver (a dev dependency): a real XML parser to check well-formedness.
import { parse as parseXml, validate as validateXml } from 'fast-xml-parser';
import { buildReport, render, toolVersion } from '../../auditor/report';
import { renderJsonChunks } from '../../auditor/report/json';
import { SARIF_SCHEMA } from '../../auditor/report/sarif';
import { COST, FINDINGS, QUOTAS, RULES, sampleReport } from './sample';

const ctx = { rules: RULES, cwd: '/nonexistent' };

describe('buildReport', () => {
  it('counts unsuppressed findings by severity and fails at --fail-on', () => {
    const r = sampleReport({ budget: undefined });
    expect(r.summary.bySeverity).toEqual({ critical: 1, high: 1, medium: 1, low: 0, info: 0 });
    expect(r.summary.suppressed).toBe(1);
    expect(r.summary.failed).toBe(true);
    expect(r.summary.reasons).toEqual(['2 findings at or above high']);
    expect(sampleReport({ budget: undefined, failOn: 'none' }).summary.failed).toBe(false);
    expect(sampleReport({ budget: undefined, failOn: 'critical' }).summary.reasons).toEqual(['1 finding at or above critical']);
  });

  it('never fails on suppressed findings', () => {
    const r = buildReport({ inputs: ['x'], findings: [FINDINGS[2]], quotas: [], cost: null, failOn: 'low' });
    expect(r.summary.failed).toBe(false);
  });

  it('with --new-only fails only on new findings', () => {
    expect(sampleReport({ budget: undefined, newOnly: true, failOn: 'critical' }).summary.failed).toBe(true);
    const noNewCritical = FINDINGS.map((f) => ({ ...f, new: false }));
    const r = sampleReport({ budget: undefined, newOnly: true, findings: noNewCritical });
    expect(r.summary.failed).toBe(false);
    expect(r.summary.newOnly).toBe(true);
  });

  it('fails when the monthly total exceeds the budget, whatever --fail-on says', () => {
    const r = sampleReport({ failOn: 'none', budget: 40 });
    expect(r.summary.failed).toBe(true);
    expect(r.summary.budget).toEqual({ limit: 40, monthlyTotal: 57.25, exceeded: true });
    expect(r.summary.reasons).toEqual(['estimated monthly cost $57.25 exceeds the budget of $40.00']);
    expect(sampleReport({ failOn: 'none', budget: 57.25 }).summary.failed).toBe(false);
  });
});

describe('json', () => {
  it('prints exactly the contract: schemaVersion 1, tool version from package.json', () => {
    const j = JSON.parse(render('json', sampleReport(), ctx));
    expect(Object.keys(j).slice(0, 8)).toEqual(['schemaVersion', 'tool', 'generatedAt', 'inputs', 'findings', 'quotas', 'cost', 'summary']);
    expect(j.schemaVersion).toBe(1);
    expect(j.tool).toEqual({ name: 'gantry', version: require('../../package.json').version });
    expect(toolVersion()).toBe(require('../../package.json').version);
    expect(j.generatedAt).toBe('2025-06-01T12:00:00.000Z');
    for (const f of j.findings) {
      for (const k of ['ruleId', 'category', 'severity', 'resource', 'stack', 'message', 'remediation', 'suppressed', 'suppressionReason']) expect(f).toHaveProperty(k);
    }
    expect(j.quotas).toEqual(QUOTAS);
    expect(j.cost).toEqual(COST);
    expect(j.summary).toMatchObject({ bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 }, failOn: 'high', failed: true });
  });

  it('is exactly JSON.stringify of the report, one line, whatever the sections hold', () => {
    const report = sampleReport();
    expect(render('json', report, ctx)).toBe(`${JSON.stringify(report)}\n`);
    // Non-Latin-1 text early on (it switches V8's output to two-byte), a second section after it, values
    // JSON.stringify leaves out or converts, and prototype-free maps with hostile keys.
    const prices = Object.create(null);
    prices.__proto__ = { 'a"b': { source: 'https://x/\u2028', asOf: '2025-01-01' } };
    prices['us-east-1'] = Object.create(null);
    const odd = {
      ...report,
      inputs: ['données/ファイル.tf.json', '—'],
      cost: { ...report.cost!, prices, skipped: undefined, fn: () => 1, when: new Date(0), boxed: new String('s'), nested: { deep: { n: NaN, i: -0 } } },
      extra: [undefined, () => 1, Symbol('s')],
      notes: undefined,
    };
    const text = render('json', odd as unknown as typeof report, ctx);
    expect(text).toBe(`${JSON.stringify(odd)}\n`);
    expect(Object.keys(JSON.parse(text).cost.prices)).toEqual(['__proto__', 'us-east-1']);
    expect(render('json', { ...report, cost: null }, ctx)).toBe(`${JSON.stringify({ ...report, cost: null })}\n`);
    // The pieces a writer may write one by one make the same text.
    expect(renderJsonChunks(odd as unknown as typeof report).join('')).toBe(text);
    expect(renderJsonChunks(report).length).toBeGreaterThan(10);
  });

  it('writes long lists in slices of ~16 KB that make exactly JSON.stringify of the list', () => {
    const report = sampleReport();
    const f = report.findings[0];
    const long = {
      ...report,
      // Elements of very different sizes, one far larger than a slice, non-Latin-1 text in the middle.
      findings: Array.from({ length: 3000 }, (_, i) => ({ ...f, message: i === 1500 ? 'x'.repeat(100_000) : i % 7 === 0 ? `— ${i}` : `m${i}` })),
      // What JSON.stringify writes as null inside a list, at slice boundaries and inside slices.
      extra: Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? () => i : [i, { i }])),
      one: [1],
      none: [],
    };
    const pieces = renderJsonChunks(long as unknown as typeof report);
    expect(pieces.join('')).toBe(`${JSON.stringify(long)}\n`);
    expect(render('json', long as unknown as typeof report, ctx)).toBe(`${JSON.stringify(long)}\n`);
    // Sliced: many pieces, and none much over a slice but the one holding the large element.
    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.filter((p) => p.length > 64 * 1024)).toHaveLength(1);
  });
});

describe('sarif', () => {
  const sarif = JSON.parse(render('sarif', sampleReport(), ctx));
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with every rule described, help text from rationale and remediation', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe(SARIF_SCHEMA);
    expect(run.tool.driver.name).toBe('gantry');
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['encryption/s3-bucket-sse-kms', 'iam/admin-star', 'reliability/log-retention']);
    const admin = run.tool.driver.rules[1];
    expect(admin.help.text).toContain('Full admin lets a compromised build own the account.');
    expect(admin.help.text).toContain('Remediation: Grant the actions');
    expect(admin.help.text).toContain('checkov: CKV_AWS_62');
    expect(admin.properties['security-severity']).toBe('9.5');
    expect(admin.defaultConfiguration.level).toBe('error');
    expect(run.tool.driver.rules[2].properties['security-severity']).toBe('3.0');
  });

  it('gives every result a level, a rule index, a physical and a logical location', () => {
    expect(run.results).toHaveLength(FINDINGS.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.locations.length).toBeGreaterThan(0);
      expect(typeof r.locations[0].physicalLocation.artifactLocation.uri).toBe('string');
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/\//);
      expect(r.partialFingerprints['gantryFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['error', 'warning', 'note', 'error']);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('cdktf.out/stacks/app-prod/cdk.tf.json');
    expect(run.results[3].locations[0].physicalLocation.artifactLocation.uri).toBe('cdktf.out');
    expect(run.results[2].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'audit logs are kept by law' }]);
  });

  it('carries the cost and quota summaries in run.properties', () => {
    expect(run.properties.cost).toMatchObject({ monthlyTotal: 57.25, pricing: { source: 'snapshot', asOf: '2025-05-01' }, diff: { monthlyDelta: 37.25 } });
    expect(run.properties.quotas).toHaveLength(2);
  });
});

describe('junit', () => {
  const xml = render('junit', sampleReport(), ctx);
  const doc = parseXml(xml, { ignoreAttributes: false, attributeNamePrefix: '' });
  const suites = [doc.testsuites.testsuite].flat();
  const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Record<string, unknown>[];

  it('is well-formed XML', () => {
    expect(validateXml(xml)).toBe(true);
  });

  it('has a test case per rule and resource; failures at or above --fail-on, suppressed skipped, budget its own case', () => {
    const byName = (n: string, cls: string) => cases.find((c) => c.name === n && c.classname === cls)!;
    expect(byName('app-prod/aws_iam_role.build', 'iam/admin-star').failure).toBeDefined();
    expect(byName('base/aws_s3_bucket.x', 'encryption/s3-bucket-sse-kms').failure).toBeDefined();
    const medium = byName('app-prod/aws_s3_bucket.logs[0]', 'encryption/s3-bucket-sse-kms');
    expect(medium.failure).toBeUndefined();
    expect(medium['system-out']).toMatch(/below --fail-on high/);
    expect(byName('app-prod/aws_cloudwatch_log_group.lg', 'reliability/log-retention').skipped).toBeDefined();
    expect(byName('monthly cost within $40.00', 'gantry/budget').failure).toBeDefined();
    expect(doc.testsuites.failures).toBe('3');
    expect(doc.testsuites.skipped).toBe('1');
  });

  it('carries the cost summary (total, price source and date, delta) as a passing case', () => {
    const c = cases.find((x) => x.classname === 'gantry/cost')!;
    expect(c.failure).toBeUndefined();
    expect(c['system-out']).toMatch(/estimated monthly cost \$57\.25 USD \(prices: snapshot, as of 2025-05-01/);
    expect(c['system-out']).toMatch(/delta \$37\.25\/month/);
    const none = render('junit', buildReport({ inputs: ['x'], findings: [], quotas: [], cost: null, failOn: 'high' }), ctx);
    expect(none).not.toContain('gantry/cost');
  });

  it('gives a rule without findings a passing case', () => {
    const x = render('junit', buildReport({ inputs: ['x'], findings: [], quotas: [], cost: null, failOn: 'high' }), ctx);
    expect(x).toContain('<testcase name="no findings" classname="iam/admin-star" time="0"/>');
    expect(x).toContain('failures="0"');
  });
});

describe('table', () => {
  const text = render('table', sampleReport(), ctx);

  it('fits 120 columns', () => {
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('groups by severity, lists suppressions, quotas and cost, and ends with the verdict', () => {
    const order = ['CRITICAL (1)', 'HIGH (1)', 'MEDIUM (1)', 'Suppressed (1)', 'Quotas', 'Estimated monthly cost: $57.25'].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('audit logs are kept by law (until 2030-01-01)');
    expect(text).toContain('L-FE177D64');
    expect(text).toContain('Compared with the base: $20.00 → $57.25 (+$37.25/month)');
    expect(text).toContain('aws_foo_bar');
    expect(text.trim().split('\n').slice(-2).join(' ')).toMatch(/^FAILED \(--fail-on high\): 2 findings at or above high; estimated monthly cost \$57\.25 exceeds the budget/);
  });
});

describe('markdown', () => {
  const text = render('markdown', sampleReport(), ctx);

  it('is a PR comment: verdict, summary counts, findings, quotas, cost diff, suppressions with reason and expiry', () => {
    expect(text.startsWith('## ❌ Gantry audit failed')).toBe(true);
    expect(text).toContain('| 1 | 1 | 1 | 0 | 0 | 1 |');
    expect(text).toContain('### Findings');
    expect(text).toMatch(/\| critical \| 🆕 \| `iam\/admin-star` \| `aws_iam_role.build` in `app-prod` \|/);
    expect(text).toContain('### Quotas');
    expect(text.indexOf('Roles per account')).toBeLessThan(text.indexOf('Pipelines per Region'));
    expect(text).toContain('**Change against the base: +$37.25/month** ($20.00 → $57.25)');
    expect(text).toContain('| `aws_codebuild_project.build` in `app-prod` | $12.75 | $50.00 | +$37.25 |');
    expect(text).toContain('| `reliability/log-retention` | `aws_cloudwatch_log_group.lg` in `app-prod` | audit logs are kept by law | 2030-01-01 | gantry.suppressions.yml |');
    expect(text).toContain('### Notes');
  });

  it('escapes table-breaking characters in messages', () => {
    const row = text.split('\n').find((l) => l.includes('SSE-S3 (AES256)'))!;
    expect(row).toContain('\\<not KMS\\> & "quoted" \\| piped');
    expect(row.split(/(?<!\\)\|/).length).toBe(7); // 5 cells (with the New column) + the two outer pipes
  });
});
