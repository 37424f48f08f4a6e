/** `gantry audit` in-process on real Terraform JSON, with the real loader, rules, quotas and pricing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../auditor/report/contract';
import { cli, expectOneLineError, fixedConfig, plantedConfig, tmpdir, write } from './harness';
import { PEERS } from './peers';

const run = (args: string[], cwd: string) => cli(args, cwd, PEERS);
const json = (stdout: string) => JSON.parse(stdout) as Report;

describe('gantry audit', () => {
  const cwd = tmpdir();
  write(cwd, 'app.tf.json', plantedConfig());
  write(cwd, 'fixed/app.tf.json', fixedConfig());

  it('exits 1 on planted problems at --fail-on high and names them in the contract JSON', async () => {
    const r = await run(['audit', 'app.tf.json', '--format', 'json'], cwd);
    expect(r.code).toBe(1);
    const rep = json(r.stdout);
    expect(rep.schemaVersion).toBe(1);
    expect(rep.inputs).toEqual(['app.tf.json']);
    expect(rep.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'encryption/s3-bucket-sse-kms', resource: 'aws_s3_bucket.artifacts', severity: 'high', suppressed: false, suppressionReason: null, file: 'app.tf.json' }),
        expect.objectContaining({ ruleId: 'iam/admin-star', severity: 'critical' }),
      ]),
    );
    expect(rep.summary.failed).toBe(true);
    expect(rep.summary.ruleErrors ?? 0).toBe(0);
    expect(rep.findings.filter((f) => f.resource === '(audit)')).toEqual([]);
    expect(rep.cost).not.toBeNull();
    expect(rep.cost!.pricing.source).toBe('snapshot');
  });

  it('exit code follows --fail-on: 0 when nothing reaches it', async () => {
    const rep = json((await run(['audit', 'app.tf.json', '--format', 'json', '--fail-on', 'none'], cwd)).stdout);
    expect(rep.summary.failed).toBe(false);
    expect((await run(['audit', 'app.tf.json', '--fail-on', 'none'], cwd)).code).toBe(0);
    expect((await run(['audit', 'app.tf.json', '--fail-on', 'critical'], cwd)).code).toBe(1);
  });

  it('suppresses findings from gantry.suppressions.yml next to the input; suppressed findings never fail the gate', async () => {
    const dir = tmpdir();
    write(dir, 'app.tf.json', plantedConfig());
    const first = json((await run(['audit', 'app.tf.json', '--format', 'json'], dir)).stdout);
    const gating = first.findings.filter((f) => ['critical', 'high'].includes(f.severity));
    const keys = [...new Set(gating.map((f) => `${f.stack}\u0000${f.resource}\u0000${f.ruleId}`))];
    const entries = keys.map((k) => {
      const [stack, resource, rule] = k.split('\u0000');
      return `  - rule: ${rule}\n    stack: ${stack}\n    resource: ${resource}\n    reason: accepted for this throw-away test stack\n    expires: 2030-01-01\n`;
    });
    write(dir, 'gantry.suppressions.yml', `version: 1\nsuppressions:\n${entries.join('')}`);
    const r = await run(['audit', 'app.tf.json', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const rep = json(r.stdout);
    const again = rep.findings.filter((f) => ['critical', 'high'].includes(f.severity));
    expect(again.length).toBe(gating.length);
    for (const f of again) expect(f).toMatchObject({ suppressed: true, suppressionReason: 'accepted for this throw-away test stack', suppressionExpires: '2030-01-01' });
    expect(rep.summary.bySeverity.critical + rep.summary.bySeverity.high).toBe(0);

    // --no-suppressions shows them all again, unsuppressed
    const all = await run(['audit', 'app.tf.json', '--format', 'json', '--no-suppressions'], dir);
    expect(all.code).toBe(1);
    expect(json(all.stdout).findings.every((f) => !f.suppressed)).toBe(true);

    // once expired they count again, and the report says so
    const later = await cli(['audit', 'app.tf.json', '--format', 'json'], dir, PEERS);
    expect(later.code).toBe(0);
    fs.writeFileSync(path.join(dir, 'gantry.suppressions.yml'), fs.readFileSync(path.join(dir, 'gantry.suppressions.yml'), 'utf8').replace(/2030-01-01/g, '2025-01-01'));
    const expired = await run(['audit', 'app.tf.json', '--format', 'json'], dir);
    expect(expired.code).toBe(1);
    const erep = json(expired.stdout);
    expect(erep.findings.filter((f) => f.suppressionExpired === '2025-01-01').length).toBe(gating.length);
    expect(erep.notes?.some((n) => /expired on 2025-01-01/.test(n))).toBe(true);
    expect(expired.stderr).toMatch(/gantry: warning: .*expired on 2025-01-01/);
  });

  it('rejects a suppressions file with a short reason: exit 2 naming the file and the entry', async () => {
    const dir = tmpdir();
    write(dir, 'app.tf.json', plantedConfig());
    write(dir, 'supp.yml', 'suppressions:\n  - rule: iam/admin-star\n    stack: app\n    resource: aws_iam_role_policy.admin\n    reason: because\n');
    expectOneLineError(await run(['audit', 'app.tf.json', '--suppressions', 'supp.yml'], dir), /^gantry: supp\.yml: suppression #1 \(iam\/admin-star on aws_iam_role_policy\.admin\): 'reason' must be at least 10 characters/);
    expectOneLineError(await run(['audit', 'app.tf.json', '--suppressions', 'missing.yml'], dir), /missing\.yml: cannot read suppressions file/);
  });

  it('applies suppressions recorded in code (// metadata)', async () => {
    const dir = tmpdir();
    const c = plantedConfig() as { resource: { aws_s3_bucket: { artifacts: Record<string, unknown> } } };
    c.resource.aws_s3_bucket.artifacts['//'] = { metadata: { path: 'app/artifacts' }, gantry: { suppressions: [{ ruleId: 'encryption/s3-bucket-sse-kms', reason: 'throw-away bucket for a test' }] } };
    write(dir, 'app.tf.json', c);
    const rep = json((await run(['audit', 'app.tf.json', '--format', 'json'], dir)).stdout);
    const f = rep.findings.find((x) => x.ruleId === 'encryption/s3-bucket-sse-kms')!;
    expect(f).toMatchObject({ suppressed: true, suppressionReason: 'throw-away bucket for a test', suppressionOrigin: 'code' });
  });

  it('--compare marks new findings and diffs the cost; --new-only fails only on new ones', async () => {
    const r = await run(['audit', 'app.tf.json', '--compare', 'fixed/app.tf.json', '--format', 'json'], cwd);
    const rep = json(r.stdout);
    expect(r.code).toBe(1);
    expect(rep.cost!.diff).toEqual(expect.objectContaining({ baseMonthlyTotal: expect.any(Number), monthlyDelta: expect.any(Number) }));
    expect(rep.findings.every((f) => typeof f.new === 'boolean')).toBe(true);
    expect(rep.findings.find((f) => f.ruleId === 'iam/admin-star')!.new).toBe(true);
    expect(rep.findings.find((f) => f.ruleId === 'encryption/s3-bucket-sse-kms' && f.resource === 'aws_s3_bucket.artifacts')!.new).toBe(true);

    // the planted config against itself: nothing is new, so --new-only passes while still listing everything
    const same = await run(['audit', 'app.tf.json', '--compare', 'app.tf.json', '--new-only', '--format', 'json'], cwd);
    expect(same.code).toBe(0);
    const srep = json(same.stdout);
    expect(srep.findings.length).toBe(rep.findings.length);
    expect(srep.findings.every((f) => f.new === false)).toBe(true);
    expect(srep.cost!.diff!.monthlyDelta).toBe(0);
    // without --new-only the same comparison fails on the old findings
    expect((await run(['audit', 'app.tf.json', '--compare', 'app.tf.json'], cwd)).code).toBe(1);
    // the fixed config compared with the planted one: its remaining findings are old or new, and new-only gates on the new
    const fixed = await run(['audit', 'fixed/app.tf.json', '--compare', 'app.tf.json', '--new-only', '--format', 'json'], cwd);
    const frep = json(fixed.stdout);
    expect(fixed.code).toBe(frep.findings.some((f) => f.new && !f.suppressed && ['critical', 'high'].includes(f.severity)) ? 1 : 0);
  });

  it('--budget exits 1 when the monthly total exceeds it, whatever --fail-on says', async () => {
    const rep = json((await run(['audit', 'app.tf.json', '--format', 'json', '--fail-on', 'none'], cwd)).stdout);
    const total = rep.cost!.monthlyTotal;
    expect(total).toBeGreaterThan(0);
    const over = await run(['audit', 'app.tf.json', '--fail-on', 'none', '--budget', String(total / 2), '--format', 'json'], cwd);
    expect(over.code).toBe(1);
    expect(json(over.stdout).summary.budget).toEqual({ limit: total / 2, monthlyTotal: total, exceeded: true });
    expect((await run(['audit', 'app.tf.json', '--fail-on', 'none', '--budget', String(total + 1)], cwd)).code).toBe(0);
  });

  it('renders every format from the same audit', async () => {
    for (const format of ['table', 'json', 'sarif', 'junit', 'markdown']) {
      const r = await run(['audit', 'app.tf.json', '--format', format], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout.length).toBeGreaterThan(100);
    }
    const sarif = JSON.parse((await run(['audit', 'app.tf.json', '--format', 'sarif'], cwd)).stdout);
    const results = sarif.runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; ruleId: string }[];
    expect(results.length).toBeGreaterThan(0);
    const bucket = results.find((x) => x.ruleId === 'encryption/s3-bucket-sse-kms')!;
    expect(bucket.locations[0].physicalLocation.artifactLocation.uri).toBe('app.tf.json');
    const lines = fs.readFileSync(path.join(cwd, 'app.tf.json'), 'utf8').split('\n');
    expect(lines[bucket.locations[0].physicalLocation.region.startLine - 1]).toContain('"artifacts"');
  });

  it('--output writes the report atomically; --markdown-report writes the release report besides it', async () => {
    const dir = tmpdir();
    write(dir, 'app.tf.json', plantedConfig());
    write(dir, 'out/report.json', 'previous report');
    const r = await run(['audit', 'app.tf.json', '--format', 'json', '--output', 'out/report.json', '--markdown-report', 'out/gantry-report.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(json(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8')).schemaVersion).toBe(1);
    const md = fs.readFileSync(path.join(dir, 'out/gantry-report.md'), 'utf8');
    expect(md).toMatch(/^## ❌ Gantry audit failed/);
    expect(md).toContain('### Cost');
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['gantry-report.md', 'report.json']);

    // a folder that does not exist: exit 2, nothing written
    expectOneLineError(await run(['audit', 'app.tf.json', '--output', 'nope/report.json'], dir), /nope\/report\.json: cannot write the report: folder nope does not exist/);
    // a bad input never clobbers an existing report
    write(dir, 'bad.tf.json', '{"resource": {');
    expectOneLineError(await run(['audit', 'bad.tf.json', '--format', 'json', '--output', 'out/report.json'], dir));
    expect(json(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8')).schemaVersion).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['gantry-report.md', 'report.json']);
  });

  it('audits several inputs together', async () => {
    const dir = tmpdir();
    write(dir, 'a/one.tf.json', plantedConfig());
    write(dir, 'b/two.tf.json', fixedConfig());
    const rep = json((await run(['audit', 'a/one.tf.json', 'b/two.tf.json', '--format', 'json'], dir)).stdout);
    expect(rep.inputs).toEqual(['a/one.tf.json', 'b/two.tf.json']);
    expect(new Set(rep.findings.map((f) => f.file))).toEqual(new Set(['a/one.tf.json', 'b/two.tf.json']));
  });
});
