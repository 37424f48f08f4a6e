import { diffCost, estimateCost } from '../../auditor/pricing';
import type { GantryCostReport } from '../../auditor/pricing';
import { fakeModel, type FakeResource } from './fake-model';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const quiet = () => undefined;
const codebuild = (compute: string, type = 'LINUX_CONTAINER', name = 'build'): FakeResource => ({
  type: 'aws_codebuild_project',
  name,
  values: { name, environment: [{ compute_type: compute, type, image: 'aws/codebuild/standard:7.0' }] },
});

function tmpUsage(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-usage-'));
  const f = path.join(dir, 'usage.yml');
  fs.writeFileSync(f, text);
  return f;
}

function component(r: GantryCostReport, address: string, name: RegExp) {
  const res = r.resources.find((x) => x.resource === address);
  if (!res) throw new Error(`no ${address} in ${r.resources.map((x) => x.resource).join(', ')}`);
  const c = res.components.find((x) => name.test(x.name));
  if (!c) throw new Error(`no component ${name} on ${address}: ${res.components.map((x) => x.name).join(', ')}`);
  return c;
}

describe('estimateCost', () => {
  it('prices 10,000 general1.large build-minutes at about $200', async () => {
    const usage = tmpUsage('version: 0.1\nresource_usage:\n  aws_codebuild_project.build:\n    monthly_build_mins: 10000\n');
    const r = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_LARGE')]), { live: false, freeTier: true, usage, warn: quiet });
    const c = component(r, 'aws_codebuild_project.build', /general1\.large/);
    expect(c.quantity).toBe(10000);
    expect(c.unitPrice).toBe(0.02);
    expect(c.monthly).toBeCloseTo(200, 6);
    expect(c.estimated).toBeUndefined();
    expect(r.monthlyTotal).toBeCloseTo(200, 6);
    // Where the price came from is said once, in cost.prices, under the resource's region and the component's priceId.
    const price = r.prices[r.resources[0].region][c.priceId];
    expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/codebuild\/pricing/);
    expect(price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(price.priceSource).toBe('snapshot');
    expect(c).not.toHaveProperty('source');
  });

  it('shares one components list between resources with the same components; the free tier copies it before changing it', async () => {
    const usage = tmpUsage('version: 0.1\nresource_type_default_usage:\n  aws_codebuild_project:\n    monthly_build_mins: 80\n');
    const names = ['a', 'b', 'c'];
    const model = fakeModel(names.map((n) => codebuild('BUILD_GENERAL1_SMALL', 'LINUX_CONTAINER', n)));
    const plain = await estimateCost(model, { live: false, freeTier: false, usage, warn: quiet });
    expect(plain.resources[1].components).toBe(plain.resources[0].components);
    expect(plain.resources[2].components).toBe(plain.resources[0].components);
    const free = await estimateCost(model, { live: false, freeTier: true, usage, warn: quiet });
    const [a, b, c] = free.resources;
    // 100 free minutes: a's 80, then 20 of b's; c is not reached and keeps the list as priced.
    expect(a.components[0]).toMatchObject({ freeQuantity: 80, monthly: 0 });
    expect(b.components[0]).toMatchObject({ freeQuantity: 20 });
    expect(c.components[0]).not.toHaveProperty('freeQuantity');
    expect(c.components[0].monthly).toBeCloseTo(0.4, 6);
    expect(a.components).not.toBe(b.components);
    expect(c.components).not.toBe(a.components);
  });

  it('applies the 100 free general1.small minutes once per account, after summing projects', async () => {
    const usage = tmpUsage('version: 0.1\nresource_type_default_usage:\n  aws_codebuild_project:\n    monthly_build_mins: 80\n');
    const model = fakeModel([codebuild('BUILD_GENERAL1_SMALL', 'LINUX_CONTAINER', 'a'), codebuild('BUILD_GENERAL1_SMALL', 'LINUX_CONTAINER', 'b')]);
    const withFree = await estimateCost(model, { live: false, freeTier: true, usage, warn: quiet });
    // 160 minutes in total, 100 free: 60 × $0.005
    expect(withFree.monthlyTotal).toBeCloseTo(0.3, 6);
    // Taken in address order: a's 80 minutes, then 20 of b's (the two asked for the same component).
    const [a, b] = withFree.resources;
    expect(a.components[0]).toMatchObject({ quantity: 80, grossQuantity: 80, freeQuantity: 80, monthly: 0 });
    expect(b.components[0]).toMatchObject({ quantity: 80, grossQuantity: 80, freeQuantity: 20 });
    expect(b.components[0].monthly).toBeCloseTo(0.3, 6);
    expect([a.monthly, b.monthly]).toEqual([0, b.components[0].monthly]);
    const offer = withFree.freeTier!.offers.find((o) => o.id === 'codebuild-ec2-small')!;
    expect(offer.used).toBe(100);
    const without = await estimateCost(model, { live: false, freeTier: false, usage, warn: quiet });
    expect(without.monthlyTotal).toBeCloseTo(0.8, 6);
    expect(without.freeTier!.offers).toEqual([]);
  });

  it('does not give free minutes to general1.large', async () => {
    const usage = tmpUsage('version: 0.1\nresource_usage:\n  aws_codebuild_project.build:\n    monthly_build_mins: 50\n');
    const r = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_LARGE')]), { live: false, freeTier: true, usage, warn: quiet });
    expect(r.monthlyTotal).toBeCloseTo(1, 6);
  });

  it.each([
    ['BUILD_GENERAL1_SMALL', 'LINUX_CONTAINER', 0.005],
    ['BUILD_GENERAL1_MEDIUM', 'LINUX_CONTAINER', 0.01],
    ['BUILD_GENERAL1_XLARGE', 'LINUX_CONTAINER', 0.0798],
    ['BUILD_GENERAL1_2XLARGE', 'LINUX_CONTAINER', 0.2],
    ['BUILD_GENERAL1_SMALL', 'ARM_CONTAINER', 0.0034],
    ['BUILD_GENERAL1_LARGE', 'ARM_CONTAINER', 0.015],
    ['BUILD_GENERAL1_LARGE', 'LINUX_GPU_CONTAINER', 0.65],
    ['BUILD_GENERAL1_MEDIUM', 'WINDOWS_SERVER_2019_CONTAINER', 0.018],
  ])('prices %s on %s at $%s a minute', async (compute, type, price) => {
    const usage = tmpUsage('version: 0.1\nresource_usage:\n  aws_codebuild_project.build:\n    monthly_build_mins: 1000\n');
    const r = await estimateCost(fakeModel([codebuild(compute, type)]), { live: false, freeTier: false, usage, warn: quiet });
    const c = r.resources[0].components[0];
    expect(c.unitPrice).toBe(price);
    expect(c.monthly).toBeCloseTo(price * 1000, 6);
  });

  it('prices Lambda compute per second', async () => {
    const usage = tmpUsage('version: 0.1\nresource_usage:\n  aws_codebuild_project.build:\n    monthly_build_mins: 1000\n');
    const r = await estimateCost(fakeModel([codebuild('BUILD_LAMBDA_1GB', 'ARM_LAMBDA_CONTAINER')]), { live: false, freeTier: false, usage, warn: quiet });
    const c = r.resources[0].components[0];
    expect(c.unit).toBe('seconds');
    expect(c.quantity).toBe(60000);
    expect(c.monthly).toBeCloseTo(0.6, 6);
  });

  it('lists a compute type the snapshot lacks as unsupported, never as $0', async () => {
    const warnings: string[] = [];
    const r = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_2XLARGE', 'ARM_CONTAINER')]), { live: false, freeTier: true, warn: (m) => warnings.push(m) });
    expect(r.resources).toHaveLength(0);
    expect(r.unsupported).toEqual([expect.objectContaining({ resource: 'aws_codebuild_project.build', type: 'aws_codebuild_project' })]);
    expect(warnings).toEqual([expect.stringMatching(/no us-east-1 price for Build minutes \(Linux ARM, arm1.2xlarge\); use --live/)]);
  });

  it('marks defaulted usage as estimated', async () => {
    const r = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_SMALL')]), { live: false, freeTier: false, warn: quiet });
    const c = r.resources[0].components[0];
    expect(c.estimated).toBe(true);
    expect(c.quantity).toBe(500);
  });

  it('multiplies by count and skips planned deletes', async () => {
    const r = await estimateCost(
      fakeModel([
        { type: 'aws_kms_key', name: 'k', count: 3 },
        { type: 'aws_kms_key', name: 'gone', action: 'delete' },
        { type: 'aws_secretsmanager_secret', name: 's', action: 'create' },
      ]),
      { live: false, freeTier: false, warn: quiet },
    );
    expect(component(r, 'aws_kms_key.k', /Customer managed key/).monthly).toBe(3);
    expect(r.resources.map((x) => x.resource)).not.toContain('aws_kms_key.gone');
    expect(component(r, 'aws_secretsmanager_secret.s', /^Secret/).monthly).toBeCloseTo(0.4, 6);
  });

  it('lists free types at $0 on purpose and unknown types as unsupported', async () => {
    const r = await estimateCost(
      fakeModel([
        { type: 'aws_iam_role', name: 'r' },
        { type: 'aws_codecommit_approval_rule_template', name: 't' },
        { type: 'aws_lambda_function', name: 'f' },
        { type: 'aws_iam_policy_document', name: 'd', mode: 'data' },
      ]),
      { live: false, freeTier: true, warn: quiet },
    );
    expect(r.free!.map((f) => f.type).sort()).toEqual(['aws_codecommit_approval_rule_template', 'aws_iam_role']);
    expect(r.unsupported.map((u) => u.type)).toEqual(['aws_lambda_function']);
    expect(r.monthlyTotal).toBe(0);
  });

  it('warns that a region outside the snapshot needs --live and does not price it', async () => {
    const warnings: string[] = [];
    const r = await estimateCost(fakeModel([{ type: 'aws_kms_key', name: 'k' }], [{ name: 'app', region: 'eu-west-1' }]), { live: false, freeTier: true, warn: (m) => warnings.push(m) });
    expect(warnings.some((w) => /region eu-west-1 is not in the price snapshot/.test(w) && /--live/.test(w))).toBe(true);
    expect(r.resources).toHaveLength(0);
    expect(r.unsupported[0]).toMatchObject({ resource: 'aws_kms_key.k', reason: expect.stringMatching(/eu-west-1/) });
  });

  it('shows a small→large change as the right delta with diffCost', async () => {
    const usage = tmpUsage('version: 0.1\nresource_usage:\n  aws_codebuild_project.build:\n    monthly_build_mins: 1000\n');
    const opts = { live: false, freeTier: true, usage, warn: quiet };
    const base = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_SMALL'), { type: 'aws_kms_key', name: 'k' }]), opts);
    const head = await estimateCost(fakeModel([codebuild('BUILD_GENERAL1_LARGE'), { type: 'aws_kms_key', name: 'k' }]), opts);
    // small: (1000 - 100 free) × 0.005 = 4.5; large: 1000 × 0.02 = 20
    const d = diffCost(base, head);
    expect(d.baseMonthlyTotal).toBeCloseTo(base.monthlyTotal, 6);
    expect(d.monthlyDelta).toBeCloseTo(15.5, 6);
    expect(d.resources).toEqual([{ resource: 'aws_codebuild_project.build', stack: 'app', baseMonthly: 4.5, monthly: 20, delta: 15.5 }]);
  });

  it('reports added and removed resources in the diff', async () => {
    const opts = { live: false, freeTier: false, warn: quiet };
    const base = await estimateCost(fakeModel([{ type: 'aws_kms_key', name: 'old' }]), opts);
    const head = await estimateCost(fakeModel([{ type: 'aws_secretsmanager_secret', name: 'new' }]), opts);
    const d = diffCost(base, head);
    expect(d.resources.map((r) => [r.resource, r.delta])).toEqual(
      expect.arrayContaining([['aws_kms_key.old', expect.any(Number)], ['aws_secretsmanager_secret.new', expect.any(Number)]]),
    );
    expect(d.resources.find((r) => r.resource === 'aws_kms_key.old')!.monthly).toBe(0);
  });
});
