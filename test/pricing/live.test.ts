import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mockClient } from 'aws-sdk-client-mock';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { estimateCost } from '../../auditor/pricing';
import { filterForRegion, parsePriceList, unitScale } from '../../auditor/pricing/live';
import { fakeModel } from './fake-model';
import { priceListEntry } from './price-list';

const codebuildLarge = priceListEntry({
  sku: 'ABCDEF1234567890',
  serviceCode: 'CodeBuild',
  productFamily: 'Compute',
  attributes: { regionCode: 'us-east-1', usagetype: 'USE1-Build-Min:Linux:g1.large', location: 'US East (N. Virginia)' },
  dims: [{ usd: '0.0250000000', unit: 'minutes' }],
});

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-live-'));
}
function usageFile(text: string): string {
  const f = path.join(tmp(), 'u.yml');
  fs.writeFileSync(f, text);
  return f;
}
const model = () =>
  fakeModel([
    { type: 'aws_codebuild_project', name: 'a', values: { environment: [{ compute_type: 'BUILD_GENERAL1_LARGE', type: 'LINUX_CONTAINER' }] } },
    { type: 'aws_codebuild_project', name: 'b', values: { environment: [{ compute_type: 'BUILD_GENERAL1_LARGE', type: 'LINUX_CONTAINER' }] } },
  ]);

describe('live prices (GetProducts)', () => {
  const mock = mockClient(PricingClient);
  beforeEach(() => mock.reset());

  it('uses the live price, one call per distinct product, with TERM_MATCH filters, and caches it with the date', async () => {
    mock.on(GetProductsCommand).resolves({ PriceList: [codebuildLarge], FormatVersion: 'aws_v1' });
    const cacheFile = path.join(tmp(), 'prices.json');
    const usage = usageFile('version: 0.1\nresource_type_default_usage:\n  aws_codebuild_project:\n    monthly_build_mins: 1000\n');
    const r = await estimateCost(model(), { live: true, freeTier: true, usage, warn: () => undefined, today: '2026-11-26', cacheFile, pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(mock.commandCalls(GetProductsCommand)).toHaveLength(1);
    const input = mock.commandCalls(GetProductsCommand)[0].args[0].input;
    expect(input.ServiceCode).toBe('CodeBuild');
    expect(input.Filters).toEqual(expect.arrayContaining([
      { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Compute' },
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
      { Type: 'TERM_MATCH', Field: 'usagetype', Value: 'USE1-Build-Min:Linux:g1.large' },
    ]));
    const c = r.resources[0].components[0];
    expect(c).toMatchObject({ unitPrice: 0.025, priceId: 'codebuild.linux.large' });
    expect(r.prices['us-east-1'][c.priceId]).toMatchObject({ priceSource: 'aws-pricing-api', asOf: '2026-11-26', source: expect.stringMatching(/SKU ABCDEF1234567890/) });
    expect(r.monthlyTotal).toBeCloseTo(50, 6);
    expect(r.pricing).toMatchObject({ source: 'aws-pricing-api', asOf: '2026-11-26' });
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    expect(Object.values(cache.entries)).toEqual([expect.objectContaining({ fetchedAt: '2026-11-26' })]);

    // A second run within the cache's lifetime makes no call.
    mock.resetHistory();
    const again = await estimateCost(model(), { live: true, freeTier: true, usage, warn: () => undefined, today: '2026-11-28', cacheFile, pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(mock.commandCalls(GetProductsCommand)).toHaveLength(0);
    expect(again.resources[0].components[0].unitPrice).toBe(0.025);
  });

  it('falls back to the snapshot with a warning naming what failed', async () => {
    mock.on(GetProductsCommand).rejects(Object.assign(new Error('User is not authorized to perform: pricing:GetProducts'), { name: 'AccessDeniedException' }));
    const warnings: string[] = [];
    const r = await estimateCost(model(), { live: true, freeTier: false, warn: (m) => warnings.push(m), today: '2026-11-26', cacheFile: path.join(tmp(), 'p.json'), pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(warnings.join('\n')).toMatch(/live price for codebuild\.linux\.large in us-east-1 \(CodeBuild .*USE1-Build-Min:Linux:g1\.large\) failed: AccessDeniedException: User is not authorized/);
    const c = r.resources[0].components[0];
    expect(c).toMatchObject({ unitPrice: 0.02 });
    expect(r.prices['us-east-1'][c.priceId].priceSource).toBe('snapshot');
    expect(r.pricing.source).toBe('snapshot');
  });

  it('refuses an answer that matches more than one SKU', async () => {
    mock.on(GetProductsCommand).resolves({ PriceList: [codebuildLarge, codebuildLarge.replace(/ABCDEF1234567890/g, 'ZZZ')] });
    const warnings: string[] = [];
    const r = await estimateCost(model(), { live: true, freeTier: false, warn: (m) => warnings.push(m), today: '2026-11-26', cacheFile: path.join(tmp(), 'p.json'), pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(warnings.join('\n')).toMatch(/matched 2 products, not one/);
    expect(r.prices['us-east-1'][r.resources[0].components[0].priceId].priceSource).toBe('snapshot');
  });

  it('prices a region outside the snapshot from the live API, with the region\'s usage type', async () => {
    mock.on(GetProductsCommand).callsFake((input: { Filters: { Field: string; Value: string }[] }) => {
      const ut = input.Filters.find((f) => f.Field === 'usagetype')!.Value;
      expect(ut).toBe('EU-Build-Min:Linux:g1.large');
      return { PriceList: [priceListEntry({ sku: 'EUSKU', serviceCode: 'CodeBuild', productFamily: 'Compute', attributes: { regionCode: 'eu-west-1', usagetype: ut }, dims: [{ usd: '0.0226', unit: 'minutes' }] })] };
    });
    const m = fakeModel([{ type: 'aws_codebuild_project', name: 'a', values: { environment: [{ compute_type: 'BUILD_GENERAL1_LARGE' }] } }], [{ name: 'app', region: 'eu-west-1' }]);
    const usage = usageFile('version: 0.1\nresource_type_default_usage:\n  aws_codebuild_project:\n    monthly_build_mins: 100\n');
    const r = await estimateCost(m, { live: true, freeTier: false, usage, warn: () => undefined, today: '2026-11-26', cacheFile: path.join(tmp(), 'p.json'), pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(r.resources[0]).toMatchObject({ region: 'eu-west-1', components: [expect.objectContaining({ unitPrice: 0.0226, priceId: 'codebuild.linux.large' })] });
    expect(Object.keys(r.prices)).toEqual(['eu-west-1']);
    expect(r.prices['eu-west-1']['codebuild.linux.large']).toMatchObject({ priceSource: 'aws-pricing-api', source: expect.stringMatching(/SKU EUSKU/) });
    expect(r.unsupported).toEqual([]);
  });

  it('runs at most 4 calls at once', async () => {
    let inFlight = 0;
    let peak = 0;
    mock.on(GetProductsCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
      throw new Error('throttled');
    });
    const types = ['aws_kms_key', 'aws_secretsmanager_secret', 'aws_s3_bucket', 'aws_sns_topic', 'aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm'];
    const m = fakeModel(types.map((t) => ({ type: t, name: 'x' })));
    await estimateCost(m, { live: true, freeTier: false, warn: () => undefined, today: '2026-11-26', cacheFile: path.join(tmp(), 'p.json'), pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(mock.commandCalls(GetProductsCommand).length).toBeGreaterThan(6);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('PriceList parsing', () => {
  it('converts per-request prices and ranges into the row unit, and drops the $0 free-tier tier', () => {
    const kms = priceListEntry({
      sku: 'KMSREQ',
      serviceCode: 'awskms',
      attributes: { regionCode: 'us-east-1', usagetype: 'us-east-1-KMS-Requests' },
      dims: [
        { usd: '0.0000000000', unit: 'Requests', begin: '0', end: '20000' },
        { usd: '0.0000030000', unit: 'Requests', begin: '20000', end: 'Inf' },
      ],
    });
    const p = parsePriceList([kms], '10k requests', 2);
    expect(p.sku).toBe('KMSREQ');
    expect(p.tiers).toEqual([{ from: 0, unitPrice: 0.03 }]);
    // without a free-tier offer for the row, the $0 tier stays
    expect(parsePriceList([kms], '10k requests', 0).tiers).toEqual([{ from: 0, to: 2, unitPrice: 0 }, { from: 2, unitPrice: 0.03 }]);
  });

  it('keeps tiered schedules in order', () => {
    const s3 = priceListEntry({
      sku: 'S3STD',
      serviceCode: 'AmazonS3',
      productFamily: 'Storage',
      attributes: { regionCode: 'us-east-1', usagetype: 'TimedStorage-ByteHrs', volumeType: 'Standard' },
      dims: [
        { usd: '0.0210000000', unit: 'GB-Mo', begin: '512000', end: 'Inf' },
        { usd: '0.0230000000', unit: 'GB-Mo', begin: '0', end: '51200' },
        { usd: '0.0220000000', unit: 'GB-Mo', begin: '51200', end: '512000' },
      ],
    });
    expect(parsePriceList([s3], 'GB-months').tiers).toEqual([
      { from: 0, to: 51200, unitPrice: 0.023 },
      { from: 51200, to: 512000, unitPrice: 0.022 },
      { from: 512000, unitPrice: 0.021 },
    ]);
  });

  it('says why an answer is unusable', () => {
    expect(() => parsePriceList([], 'minutes')).toThrow(/no product matched/);
    expect(() => parsePriceList(['{'], 'minutes')).toThrow(/not JSON/);
  });

  it('scales units and moves filters between regions', () => {
    expect(unitScale('1k requests')).toBe(1000);
    expect(unitScale('10k requests')).toBe(10000);
    expect(unitScale('million WRU')).toBe(1e6);
    expect(unitScale('100k notifications')).toBe(1e5);
    expect(unitScale('minutes')).toBe(1);
    expect(unitScale('GB-months')).toBe(1);
    const f = { serviceCode: 'AmazonS3', attributes: { regionCode: 'us-east-1', usagetype: 'Requests-Tier1' } };
    expect(filterForRegion(f, 'us-east-1', 'eu-central-1')!.attributes).toEqual({ regionCode: 'eu-central-1', usagetype: 'EUC1-Requests-Tier1' });
    const k = { serviceCode: 'awskms', attributes: { regionCode: 'us-east-1', usagetype: 'us-east-1-KMS-Keys' } };
    expect(filterForRegion(k, 'us-east-1', 'eu-west-1')!.attributes.usagetype).toBe('eu-west-1-KMS-Keys');
    expect(filterForRegion(f, 'us-east-1', 'xx-nowhere-9')).toBeUndefined();
  });
});
