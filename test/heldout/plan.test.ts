/**
 * The held-out config through a real offline `terraform plan` (`terraform show -json`), audited
 * by the CLI as a plan: the same planted problems found by block address, nothing high on the
 * well-built blocks, the counted pipelines' creations over the regional quota.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../cli/harness';
import { OFFLINE_PROVIDER, terraformReady, validateAndPlanAsync } from '../support/terraform';
import { blockOf } from '../../auditor/model/refs';
import { PIPELINE_COUNT, PLANTED, heldoutConfig, isWellBuilt } from './config';

const ready = terraformReady('held-out plan');
const maybe = ready ? describe : describe.skip;

maybe('held-out config as a terraform plan', () => {
  let dir: string;
  let report: any;
  let configReport: any;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-heldout-plan-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(heldoutConfig(), null, 1));
    fs.writeFileSync(
      path.join(dir, 'gantry_offline_override.tf.json'),
      JSON.stringify({ terraform: { backend: { local: { path: path.join(dir, 'terraform.tfstate') } } }, provider: { aws: [{ ...OFFLINE_PROVIDER }] } }),
    );
    const { validate, plan } = await validateAndPlanAsync(dir);
    expect(validate.valid).toBe(true);
    fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await cli(['audit', 'plan.json', '--format', 'json', '--fail-on', 'none', '--offline'], dir);
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
    report = JSON.parse(r.stdout);
    const c = await cli(['audit', 'main.tf.json', '--format', 'json', '--fail-on', 'none', '--offline'], dir);
    configReport = JSON.parse(c.stdout);
  }, 600000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const found = () => (report.findings as any[]).map((f) => ({ ...f, block: blockOf(f.resource) }));

  test.each(PLANTED)('%s on %s', (ruleId, block) => {
    expect(found().map((f) => `${f.ruleId} ${f.block}`)).toContain(`${ruleId} ${block}`);
  });

  test('no high or critical finding on any good* block', () => {
    const bad = found().filter((f) => isWellBuilt(f.block) && (f.severity === 'high' || f.severity === 'critical'));
    expect(bad.map((f) => `${f.ruleId} ${f.resource} ${f.severity}: ${f.message}`)).toEqual([]);
  });

  test('the plan and the config agree on every high or critical finding (rule, block)', () => {
    const key = (f: any) => `${f.ruleId} ${blockOf(f.resource)}`;
    const high = (fs_: any[]) => [...new Set(fs_.filter((f) => f.severity === 'high' || f.severity === 'critical').map(key))].sort();
    const configHigh = high(configReport.findings).filter((k) => !k.startsWith('encryption/terraform-backend-encrypted'));
    expect(high(report.findings)).toEqual(configHigh);
  });

  test('pipelines per region: every planned creation counted, exceeded', () => {
    const row = (report.quotas as any[]).find((q) => q.service === 'codepipeline' && q.quotaCode === 'L-78D200AD');
    expect(row).toMatchObject({ planned: PIPELINE_COUNT + 2, limit: 1000, status: 'exceeded' });
  });
});
