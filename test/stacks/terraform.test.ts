/**
 * Every stack of the example configuration passes `terraform validate` and an offline
 * `terraform plan` with the real hashicorp/aws provider, and the plan fixtures the auditor's
 * tests read stay in step with what the stacks plan.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import example from '../../gantry.config';
import { synthesize } from '../../stacks/app';
import { validateConfig } from '../../stacks/config/validate';
import { limiter, offlineWorkdir, terraformReady, validateAndPlanAsync } from '../support/terraform';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'plans');
const ready = terraformReady('stacks: terraform validate + offline plan');
const suite = ready ? describe : describe.skip;

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-tfsynth-'));
const stacks = ready ? synthesize(validateConfig(example), outdir) : [];
const run = limiter(2);

function configuredResources(stack: string): string[] {
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
}

function fixtureShape(plan: any): string[] {
  return (plan.resource_changes as { address: string; type: string; change: { actions: string[] } }[]).map((r) => `${r.address} ${r.type} ${r.change.actions.join('+')}`).sort();
}

suite('terraform: every stack of the example config', () => {
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('the example config synthesizes the bootstrap stack, one stack per application and the infrastructure pipeline', () => {
    expect(stacks).toEqual(['gantry-bootstrap', ...example.applications.map((a) => `gantry-${a.name}`), ...(example.infrastructure ? ['gantry-infrastructure'] : [])]);
  });

  test('in-code suppressions reach cdk.tf.json (what the audit reads): EC2 instance roles and the Lambda publisher', () => {
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const roles = read('gantry-web').resource.aws_iam_role;
    for (const env of ['dev', 'staging', 'prod']) {
      expect(roles[`instance-${env}_role`]['//'].gantry.suppressions).toEqual([expect.objectContaining({ ruleId: 'iam/trust-service-confused-deputy' })]);
    }
    expect(read('gantry-worker').resource.aws_iam_role.publish_project_role['//'].gantry.suppressions).toEqual([
      expect.objectContaining({ ruleId: 'iam/privilege-escalation', detail: 'EditExistingLambdaFunctionWithRole' }),
    ]);
  });

  test.concurrent.each(stacks.map((s) => [s]))(
    '%s passes terraform validate and an offline plan that creates every resource',
    async (stack) => {
      const dir = offlineWorkdir(path.join(outdir, 'stacks', stack), stack);
      try {
        const { validate, plan } = await run(() => validateAndPlanAsync(dir));
        expect(validate).toMatchObject({ valid: true, error_count: 0 });
        expect(validate.warning_count).toBe(0);

        const changes = plan.resource_changes as { address: string; change: { actions: string[] } }[];
        expect(changes.map((c) => c.address).sort()).toEqual(configuredResources(stack).sort());
        expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);

        const fixture = path.join(FIXTURES, `${stack}.plan.json`);
        if (process.env.GANTRY_UPDATE_FIXTURES === '1') {
          const { timestamp: _ignored, ...stable } = plan;
          fs.mkdirSync(FIXTURES, { recursive: true });
          fs.writeFileSync(fixture, JSON.stringify(sortKeys(stable), null, 1));
        }
        expect(fs.existsSync(fixture)).toBe(true);
        expect(fixtureShape(JSON.parse(fs.readFileSync(fixture, 'utf8')))).toEqual(fixtureShape(plan));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
