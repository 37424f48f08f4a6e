/**
 * Regions the snapshot does not price: one note per region (details in cost.unsupported), the
 * report's region is the input's, the summary says what the estimate leaves out, and --budget
 * over a partial estimate warns loudly (or refuses with exit 2 when nothing could be priced).
 * sa-east-1 stands for "a region outside the bundled snapshot".
 */
import * as fs from 'fs';
import * as path from 'path';
import { estimateCost } from '../../auditor/pricing';
import { loadSnapshot } from '../../auditor/pricing/snapshot';
import { buildReport } from '../../auditor/report/build';
import { renderMarkdown } from '../../auditor/report/markdown';
import { renderTable } from '../../auditor/report/table';
import { verdictLine } from '../../auditor/report/summary';
import { UserError } from '../../auditor/errors';
import { cli, tmpdir, write } from '../cli/harness';
import { fakeModel, type FakeResource } from './fake-model';

const OUTSIDE = 'sa-east-1';

/** Three resources in two stacks of `region`, plus an unsupported type. */
function resourcesIn(stacks: [string, string]): FakeResource[] {
  return [
    { type: 'aws_kms_key', name: 'k', stack: stacks[0] },
    { type: 'aws_sns_topic', name: 't', stack: stacks[0] },
    { type: 'aws_kms_key', name: 'k', stack: stacks[1] },
    { type: 'aws_codebuild_report_group', name: 'rg', stack: stacks[1] },
  ];
}

async function estimate(resources: FakeResource[], stacks: { name: string; region?: string }[], extra: { region?: string } = {}) {
  const warnings: string[] = [];
  const cost = await estimateCost(fakeModel(resources, stacks), { live: false, freeTier: true, warn: (m) => warnings.push(m), ...extra });
  return { cost, warnings };
}

beforeAll(() => {
  // The tests rely on OUTSIDE not being bundled; fail loudly if someone adds it.
  expect(loadSnapshot().regions).not.toContain(OUTSIDE);
});

describe('unpriced regions: notes', () => {
  it('gives one note per region, not one per resource, and keeps the details in cost.unsupported', async () => {
    const { cost, warnings } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: OUTSIDE }, { name: 'b', region: OUTSIDE }]);
    expect(warnings).toHaveLength(1);
    const snap = loadSnapshot();
    expect(warnings[0]).toBe(
      `region ${OUTSIDE} is not in the price snapshot (bundled ${snap.asOf}, ${snap.regions.length === 1 ? `${snap.regions[0]} only` : snap.regions.join(', ')}): ` +
        '3 resources in 2 stacks not priced; use --live to price it from the AWS Price List API',
    );
    expect(warnings[0]).not.toMatch(/aws_kms_key|aws_sns_topic/);
    const noPrice = cost.unsupported.filter((u) => u.cause === 'no-price');
    expect(noPrice.map((u) => `${u.stack}/${u.resource}`).sort()).toEqual(['a/aws_kms_key.k', 'a/aws_sns_topic.t', 'b/aws_kms_key.k']);
    for (const u of noPrice) {
      expect(u.region).toBe(OUTSIDE);
      expect(u.reason).toMatch(new RegExp(`region ${OUTSIDE} is not in the price snapshot`));
      expect(u.components!.length).toBeGreaterThan(0);
    }
    expect(cost.unsupported.find((u) => u.type === 'aws_codebuild_report_group')).toMatchObject({ cause: 'unsupported-type', reason: 'no pricing for this resource type' });
    // Unsupported types first, then what had no price (each in the model's order), though both are met in one pass.
    const causes = cost.unsupported.map((u) => u.cause);
    expect(causes.indexOf('no-price')).toBeGreaterThan(causes.lastIndexOf('unsupported-type'));
  });

  it('says nothing about regions when everything is in the snapshot', async () => {
    const { cost, warnings } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: 'us-east-1' }]);
    expect(warnings).toEqual([]);
    expect(cost.coverage).toMatchObject({ pricedResources: 3, unpricedResources: 0, unsupportedTypes: 1, complete: true });
  });

  it('one note per region when several regions are missing', async () => {
    const { warnings } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: OUTSIDE }, { name: 'b', region: 'ap-east-1' }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`^region ${OUTSIDE} .*: 2 resources in 1 stack not priced`));
    expect(warnings[1]).toMatch(/^region ap-east-1 .*: 1 resource in 1 stack not priced/);
  });
});

describe('unpriced regions: the region reported', () => {
  it("reports the input's region, not the snapshot's, when nothing there was priced", async () => {
    const { cost } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: OUTSIDE }, { name: 'b', region: OUTSIDE }]);
    expect(cost.pricing.region).toBe(OUTSIDE);
    expect(cost.pricing.regions).toEqual([OUTSIDE]);
    expect(cost.monthlyTotal).toBe(0);
    expect(cost.coverage).toMatchObject({ pricedResources: 0, unpricedResources: 3, complete: false });
    expect(cost.coverage!.regions).toEqual([expect.objectContaining({ region: OUTSIDE, inSnapshot: false, resources: 4, unpricedResources: 3, reason: 'region not in snapshot' })]);
  });

  it('with several regions: the main one (most resources) in region, every one in regions', async () => {
    const { cost } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: OUTSIDE }]);
    // a: 2 resources in us-east-1; b: 2 (one unsupported) in OUTSIDE → tie goes to the first seen
    expect(cost.pricing.region).toBe('us-east-1');
    expect(cost.pricing.regions).toEqual(['us-east-1', OUTSIDE]);
    const { cost: c2 } = await estimate(
      [...resourcesIn(['a', 'b']), { type: 'aws_kms_key', name: 'k2', stack: 'b' }],
      [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: OUTSIDE }],
    );
    expect(c2.pricing.region).toBe(OUTSIDE);
    expect(c2.coverage).toMatchObject({ pricedResources: 2, unpricedResources: 2, complete: false });
  });

  it('counts every resource of stacks that come interleaved, and keeps price rows under the region that used them', async () => {
    // Stacks a, b, a, b: the per-region counts and the first-seen order must not depend on grouping.
    const interleaved: FakeResource[] = [
      { type: 'aws_kms_key', name: 'k1', stack: 'a' },
      { type: 'aws_kms_key', name: 'k1', stack: 'b' },
      { type: 'aws_iam_role', name: 'r', stack: 'a' },
      { type: 'aws_sns_topic', name: 't', stack: 'b' },
      { type: 'aws_kms_key', name: 'k2', stack: 'a' },
    ];
    const { cost } = await estimate(interleaved, [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: OUTSIDE }]);
    expect(cost.pricing.regions).toEqual(['us-east-1', OUTSIDE]);
    expect(cost.coverage!.regions.map((r) => [r.region, r.resources, r.unpricedResources])).toEqual([['us-east-1', 3, 0], [OUTSIDE, 2, 2]]);
    expect(cost.coverage).toMatchObject({ pricedResources: 2, unpricedResources: 2, complete: false });
    expect(cost.free!.map((f) => `${f.stack}/${f.resource}`)).toEqual(['a/aws_iam_role.r']);
    // Only us-east-1 priced anything: its rows, each said once, with source and date.
    expect(Object.keys(cost.prices)).toEqual(['us-east-1']);
    expect(Object.keys(cost.prices['us-east-1']).sort()).toEqual(['kms.key', 'kms.requests']);
    for (const p of Object.values(cost.prices['us-east-1'])) expect(p).toMatchObject({ priceSource: 'snapshot', source: expect.stringMatching(/^https:\/\//), asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    for (const r of cost.resources) for (const c of r.components) expect(cost.prices[r.region][c.priceId]).toBeDefined();
  });

  it('uses --region when the input does not say', async () => {
    const { cost, warnings } = await estimate([{ type: 'aws_kms_key', name: 'k' }], [{ name: 'app' }], { region: OUTSIDE });
    expect(cost.pricing.region).toBe(OUTSIDE);
    expect(warnings).toHaveLength(1);
  });
});

describe('unpriced regions: summary wording', () => {
  it('says how many resources the figure covers and how many it leaves out (table, Markdown, verdict)', async () => {
    const { cost, warnings } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: OUTSIDE }]);
    const report = buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'high', notes: warnings });
    const phrase = `estimated ${'$' + cost.monthlyTotal.toFixed(2)}/month for 2 priced resources; 1 not priced (${OUTSIDE} not in the price snapshot)`;
    expect(verdictLine(report)).toBe(`PASSED (--fail-on high): 0 findings; ${phrase}.`);
    const table = renderTable(report);
    expect(table).toContain(`for 2 priced resources; 1 not priced (${OUTSIDE} not in the price snapshot)`);
    expect(table).toContain(`Not priced (unsupported types, 1): aws_codebuild_report_group`);
    expect(table).toContain(`Not priced (${OUTSIDE} not in the price snapshot, 1): aws_kms_key`);
    expect(table).toContain(`us-east-1, ${OUTSIDE})`);
    expect(table.match(/^note: /gm)).toHaveLength(1);
    const md = renderMarkdown(report);
    expect(md).toContain('for 2 priced resources; **1 not priced**');
    expect(md).toMatch(/Not priced \(1 resources; sa-east-1 not in the price snapshot\): `aws_kms_key`/);
  });

  it('keeps the plain wording when everything was priced', async () => {
    const { cost } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: 'us-east-1' }]);
    const report = buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'high' });
    expect(verdictLine(report)).toMatch(/; estimated \$\d+\.\d\d\/month\.$/);
    expect(renderTable(report)).not.toMatch(/not priced \(/);
  });
});

describe('unpriced regions: --budget', () => {
  const mixed = () => estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: OUTSIDE }]);

  it('checks the budget against what was priced, with a loud note naming the unpriced count', async () => {
    const { cost } = await mixed();
    const passed = buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'none', budget: 1000 });
    expect(passed.summary.failed).toBe(false);
    expect(passed.summary.budget).toEqual({ limit: 1000, monthlyTotal: cost.monthlyTotal, exceeded: false, unpricedResources: 1 });
    expect(passed.notes).toEqual([expect.stringMatching(/^BUDGET CHECKED AGAINST A PARTIAL ESTIMATE: .* 1 more could not be priced \(sa-east-1 not in the price snapshot\)/)]);
    expect(verdictLine(passed)).toContain('(budget $1,000, checked against the partial estimate)');
  });

  it('still fails (exit 1) when the priced part alone exceeds the budget', async () => {
    const { cost } = await mixed();
    expect(cost.monthlyTotal).toBeGreaterThan(0.5);
    const failed = buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'none', budget: 0.5 });
    expect(failed.summary.failed).toBe(true);
    expect(failed.summary.reasons).toEqual([expect.stringMatching(/exceeds the budget of \$0\.50/)]);
  });

  it('refuses (exit 2) when nothing could be priced, rather than passing a $0 estimate', async () => {
    const { cost } = await estimate(resourcesIn(['a', 'b']), [{ name: 'a', region: OUTSIDE }, { name: 'b', region: OUTSIDE }]);
    const build = () => buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'none', budget: 50 });
    expect(build).toThrow(UserError);
    expect(build).toThrow(/^--budget: cannot be checked: none of the 3 priceable resources could be priced \(sa-east-1 not in the price snapshot\); use --live/);
    // without --budget the same input is reported, not refused
    expect(buildReport({ inputs: ['x'], findings: [], quotas: [], cost, failOn: 'none' }).summary.failed).toBe(false);
  });

  it('through the CLI: exit 2 with one line when the region is entirely unpriced; partial → note and exit 0/1', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/tutorial/tutorial-stack.tf.json'), 'utf8'));
    const dir = tmpdir('gantry-coverage-');
    write(dir, 'home.tf.json', fixture);
    write(dir, 'away.tf.json', { ...fixture, provider: { aws: [{ region: OUTSIDE }] } });
    const away = await cli(['audit', 'away.tf.json', '--offline', '--fail-on', 'none', '--budget', '50'], dir);
    expect(away.code).toBe(2);
    expect(away.stdout).toBe('');
    expect(away.stderr).toMatch(new RegExp(`^gantry: --budget: cannot be checked: none of the \\d+ priceable resources could be priced \\(${OUTSIDE} not in the price snapshot\\)[^\\n]*\\n$`));

    const both = await cli(['audit', 'home.tf.json', 'away.tf.json', '--offline', '--fail-on', 'none', '--budget', '1000'], dir);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/note: BUDGET CHECKED AGAINST A PARTIAL ESTIMATE/);
    expect(both.stdout.match(new RegExp(`note: region ${OUTSIDE} is not in the price snapshot`, 'g'))).toHaveLength(1);
    const tight = await cli(['audit', 'home.tf.json', 'away.tf.json', '--offline', '--fail-on', 'none', '--budget', '0.01', '--format', 'json'], dir);
    expect(tight.code).toBe(1);
    const json = JSON.parse(tight.stdout);
    expect(json.cost.pricing.regions).toEqual(expect.arrayContaining(['us-east-1', OUTSIDE]));
    expect(json.cost.coverage.complete).toBe(false);
    expect(json.summary.budget.unpricedResources).toBeGreaterThan(0);
  });
});
