import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { mockClient } from 'aws-sdk-client-mock';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { register as registerUsage, usageFileFor } from '../../auditor/cli/commands/usage';
import { register as registerPrices } from '../../auditor/cli/commands/prices';
import { estimateCost } from '../../auditor/pricing';
import { loadSnapshot, defaultSnapshotPath } from '../../auditor/pricing/snapshot';
import { parseUsage, usageFor } from '../../auditor/pricing/usage';
import { modelOf } from '../support/model';
import { fakeModel } from './fake-model';
import { priceListEntry } from './price-list';
import type { CliIo } from '../../auditor/cli/io';

const fixture = path.join(__dirname, '../fixtures/tutorial/tutorial-stack.tf.json');
const tutorial = () => modelOf(JSON.parse(fs.readFileSync(fixture, 'utf8')), 'tutorial');

function io(cwd: string, now = '2026-11-26T10:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd, env: {}, now: () => new Date(now) };
  return { io: value, out, err };
}

function program(): Command {
  return new Command('gantry').exitOverride();
}

describe('gantry usage init', () => {
  it('lists every priced address with its keys and defaults, and parses back', async () => {
    const text = usageFileFor(tutorial());
    const u = parseUsage(text, 'init.yml');
    expect([...u.resourceUsage.keys()].sort()).toEqual([
      'aws_codebuild_project.build', 'aws_codecommit_repository.repo', 'aws_codedeploy_deployment_group.production',
      'aws_codepipeline.pipeline', 'aws_s3_bucket.artifacts', 'aws_sns_topic.approvals',
    ]);
    const s3 = usageFor(u, { stack: 'tutorial', address: 'aws_s3_bucket.artifacts', type: 'aws_s3_bucket' });
    expect(s3.get('standard.storage_gb')).toBe(5);
    expect(text).toMatch(/monthly_build_mins: 500 # Build minutes per month/);
    // pricing with the generated file gives the same numbers as the defaults, but not estimated
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-init-')), 'u.yml');
    fs.writeFileSync(f, text);
    const withFile = await estimateCost(tutorial(), { live: false, freeTier: true, usage: f, warn: () => undefined });
    const defaults = await estimateCost(tutorial(), { live: false, freeTier: true, warn: () => undefined });
    expect(withFile.monthlyTotal).toBeCloseTo(defaults.monthlyTotal, 6);
    expect(withFile.resources.flatMap((r) => r.components).filter((c) => c.estimated)).toEqual([]);
    expect(defaults.resources.flatMap((r) => r.components).some((c) => c.estimated)).toBe(true);
  });

  it('prefixes the stack when an address is in several stacks, and collapses instances to [*]', () => {
    const m = fakeModel(
      [
        { type: 'aws_kms_key', name: 'k', stack: 'a' },
        { type: 'aws_kms_key', name: 'k', stack: 'b' },
        { type: 'aws_s3_bucket', name: 'b', stack: 'a', address: 'aws_s3_bucket.b[0]' },
        { type: 'aws_s3_bucket', name: 'b', stack: 'a', address: 'aws_s3_bucket.b[1]' },
      ],
      [{ name: 'a', region: 'us-east-1' }, { name: 'b', region: 'us-east-1' }],
    );
    const u = parseUsage(usageFileFor(m), 'x.yml');
    expect([...u.resourceUsage.keys()].sort()).toEqual(['a/aws_kms_key.k', 'aws_s3_bucket.b[*]', 'b/aws_kms_key.k']);
  });

  it('writes --output, and refuses to overwrite without --force', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-init-'));
    fs.copyFileSync(fixture, path.join(dir, 'stack.tf.json'));
    const t = io(dir);
    const p = program();
    registerUsage(p, { io: t.io, load: () => tutorial() });
    await p.parseAsync(['usage', 'init', 'stack.tf.json', '--output', 'usage.yml'], { from: 'user' });
    expect(fs.readFileSync(path.join(dir, 'usage.yml'), 'utf8')).toMatch(/^version: 0\.1$/m);
    const p2 = program();
    registerUsage(p2, { io: t.io, load: () => tutorial() });
    await expect(p2.parseAsync(['usage', 'init', 'stack.tf.json', '--output', 'usage.yml'], { from: 'user' })).rejects.toThrow(/usage\.yml: already exists; pass --force/);
    const p3 = program();
    registerUsage(p3, { io: t.io, load: () => tutorial() });
    await expect(p3.parseAsync(['usage', 'init', 'missing.tf.json'], { from: 'user' })).rejects.toThrow(/missing\.tf\.json: not found/);
  });
});

describe('gantry prices refresh', () => {
  const mock = mockClient(PricingClient);
  beforeEach(() => mock.reset());

  it('rebuilds the snapshot from the live API with today\'s date, keeping rows it cannot price', async () => {
    mock.on(GetProductsCommand).callsFake((input: { ServiceCode: string; Filters: { Field: string; Value: string }[] }) => {
      const ut = input.Filters.find((f) => f.Field === 'usagetype')?.Value ?? '';
      if (ut === 'USE1-Build-Min:Linux:g1.large') {
        return { PriceList: [priceListEntry({ sku: 'NEWLARGE', serviceCode: 'CodeBuild', productFamily: 'Compute', attributes: { regionCode: 'us-east-1', usagetype: ut }, dims: [{ usd: '0.0210000000', unit: 'minutes' }] })] };
      }
      if (ut === 'us-east-1-KMS-Keys') {
        return { PriceList: [priceListEntry({ sku: 'KMSKEY', serviceCode: 'awskms', attributes: { regionCode: 'us-east-1', usagetype: ut }, dims: [{ usd: '1.0000000000', unit: 'Keys' }] })] };
      }
      return { PriceList: [] };
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-refresh-'));
    const t = io(dir);
    const p = program();
    registerPrices(p, { io: t.io, client: new PricingClient({ region: 'us-east-1' }) });
    await p.parseAsync(['prices', 'refresh', '--snapshot', defaultSnapshotPath(), '--output', 'snap.json'], { from: 'user' });
    const fresh = loadSnapshot(path.join(dir, 'snap.json'));
    const old = loadSnapshot();
    expect(fresh.asOf).toBe('2026-11-26');
    expect(fresh.rows).toHaveLength(old.rows.length);
    const large = fresh.rows.find((r) => r.id === 'codebuild.linux.large')!;
    expect(large).toMatchObject({ unitPrice: 0.021, asOf: '2026-11-26' });
    expect(large.source).toMatch(/SKU NEWLARGE/);
    const small = fresh.rows.find((r) => r.id === 'codebuild.linux.small')!;
    expect(small).toEqual(old.rows.find((r) => r.id === 'codebuild.linux.small'));
    expect(t.out.join('')).toMatch(/2 price rows refreshed on 2026-11-26/);
    expect(t.err.join('')).toMatch(/codebuild\.linux\.small .* failed: no product matched/);
    // at most one call per distinct product
    const keys = mock.commandCalls(GetProductsCommand).map((c) => JSON.stringify(c.args[0].input));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fails with one line and leaves the snapshot alone when nothing could be fetched', async () => {
    mock.on(GetProductsCommand).rejects(new Error('getaddrinfo ENOTFOUND api.pricing.us-east-1.amazonaws.com'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-refresh-'));
    const t = io(dir);
    const p = program();
    registerPrices(p, { io: t.io, client: new PricingClient({ region: 'us-east-1' }) });
    await expect(p.parseAsync(['prices', 'refresh', '--output', 'snap.json'], { from: 'user' })).rejects.toThrow(/no live price could be fetched/);
    expect(fs.existsSync(path.join(dir, 'snap.json'))).toBe(false);
  });
});
