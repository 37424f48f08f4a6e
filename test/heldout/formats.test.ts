/** The held-out config through the CLI in every format, with the gate's exit codes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
// fast-xml-parser 3.x (arrives with s3rver): parse() and validate().
import { parse as parseXml, validate as validateXml } from 'fast-xml-parser';
import { cli, tmpdir, write } from '../cli/harness';
import { PLANTED, heldoutConfig } from './config';

let dir: string;
beforeAll(() => {
  dir = tmpdir('gantry-heldout-formats-');
  write(dir, 'main.tf.json', heldoutConfig());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const audit = (...args: string[]) => cli(['audit', 'main.tf.json', '--offline', ...args], dir);

test('table: exit 1 at the default --fail-on high, fits 120 columns, names planted findings, has a summary', async () => {
  const r = await audit();
  expect(r.code).toBe(1);
  const lines = r.stdout.split('\n');
  expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
  expect(r.stdout).toContain('iam/admin-star');
  expect(r.stdout).toContain('aws_codebuild_project.leaky');
  expect(r.stdout).toMatch(/FAILED/);
}, 60000);

test('json: the contract, failed at high', async () => {
  const r = await audit('--format', 'json');
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.schemaVersion).toBe(1);
  expect(report.summary.failed).toBe(true);
  expect(report.summary.bySeverity.critical).toBeGreaterThanOrEqual(3);
  expect(report.cost.pricing.source).toBe('snapshot');
}, 60000);

test('sarif: 2.1.0, every result has a rule with help, a level, a security-severity and a location', async () => {
  const r = await audit('--format', 'sarif', '--output', 'out.sarif');
  expect(r.code).toBe(1);
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
  expect(sarif.version).toBe('2.1.0');
  const run = sarif.runs[0];
  const rules = new Map<string, any>(run.tool.driver.rules.map((x: any) => [x.id, x]));
  expect(run.results.length).toBeGreaterThanOrEqual(PLANTED.length);
  for (const res of run.results) {
    const rule = rules.get(res.ruleId);
    expect(rule?.help?.text ?? rule?.help?.markdown).toBeTruthy();
    if (rule.properties['gantry-severity'] !== 'info') expect(rule.properties['security-severity']).toMatch(/^\d+(\.\d)?$/);
    expect(['error', 'warning', 'note', 'none']).toContain(res.level);
    expect(res.locations?.length).toBeGreaterThan(0);
  }
  for (const [ruleId] of PLANTED) expect(run.results.some((x: any) => x.ruleId === ruleId)).toBe(true);
}, 60000);

test('junit: a testcase per rule and resource, failures for every high/critical finding', async () => {
  const json = JSON.parse((await audit('--format', 'json', '--fail-on', 'none')).stdout);
  const high = json.findings.filter((f: any) => !f.suppressed && (f.severity === 'high' || f.severity === 'critical'));
  const r = await audit('--format', 'junit');
  expect(r.code).toBe(1);
  expect(validateXml(r.stdout)).toBe(true);
  const xml = parseXml(r.stdout, { ignoreAttributes: false, attributeNamePrefix: '@_' });
  const suites = [xml.testsuites.testsuite].flat();
  const cases = suites.flatMap((s: any) => [s.testcase].flat().filter(Boolean));
  const failed = cases.filter((c: any) => c.failure !== undefined);
  const failedKeys = new Set(failed.map((c: any) => `${c['@_classname'] ?? ''} ${c['@_name']}`));
  expect(failed.length).toBeGreaterThan(0);
  expect(failedKeys.size).toBeLessThanOrEqual(high.length);
  for (const f of high.slice(0, 20)) expect([...failedKeys].some((k) => k.includes(f.ruleId) && k.includes(f.resource))).toBe(true);
}, 60000);

test('markdown: summary, findings table, cost and quota sections', async () => {
  const r = await audit('--format', 'markdown');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/\|.*iam\/admin-star.*\|/);
  expect(r.stdout).toMatch(/cost/i);
  expect(r.stdout).toMatch(/quota/i);
  expect(r.stdout).toContain('L-78D200AD');
}, 60000);

test('gates: --fail-on none passes, --budget below the total fails whatever --fail-on says', async () => {
  expect((await audit('--format', 'json', '--fail-on', 'none')).code).toBe(0);
  const b = await audit('--format', 'json', '--fail-on', 'none', '--budget', '100');
  expect(b.code).toBe(1);
  expect(JSON.parse(b.stdout).summary.failed).toBe(true);
}, 60000);
