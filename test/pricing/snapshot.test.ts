import { UserError } from '../../auditor/errors';
import * as fs from 'fs';
import { defaultSnapshotPath, loadSnapshot, parseSnapshot, snapshotSchema, tieredCost } from '../../auditor/pricing/snapshot';
import { PRICERS } from '../../auditor/pricing';
import { fakeModel } from './fake-model';

describe('the price snapshot', () => {
  const snap = loadSnapshot();

  it('sources and dates every price row and free-tier offer', () => {
    expect(snap.rows.length).toBeGreaterThan(30);
    for (const r of snap.rows) {
      expect(r.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/pricing\//);
      expect(r.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.filter.serviceCode).toBeTruthy();
      expect(r.tiers[0].from).toBe(0);
      expect(r.unitPrice).toBe(r.tiers[0].unitPrice);
    }
    for (const o of snap.freeTier) {
      expect(o.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      for (const id of o.rows) expect(snap.rows.some((r) => r.id === id)).toBe(true);
    }
  });

  it('covers us-east-1 for every resource type it prices', () => {
    expect(snap.regions).toContain('us-east-1');
    expect(PRICERS.map((p) => p.type).sort()).toEqual([
      'aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_codebuild_project', 'aws_codecommit_repository',
      'aws_codedeploy_deployment_group', 'aws_codepipeline', 'aws_dynamodb_table', 'aws_kms_key', 'aws_s3_bucket',
      'aws_secretsmanager_secret', 'aws_sns_topic', 'aws_ssm_parameter',
    ]);
    const typical: Record<string, Record<string, unknown>> = {
      aws_codebuild_project: { environment: [{ compute_type: 'BUILD_GENERAL1_SMALL', type: 'LINUX_CONTAINER' }] },
      aws_codedeploy_deployment_group: { on_premises_instance_tag_filter: [{ key: 'k', value: 'v', type: 'KEY_AND_VALUE' }] },
      aws_dynamodb_table: { billing_mode: 'PAY_PER_REQUEST' },
      aws_kms_key: { enable_key_rotation: true },
      aws_ssm_parameter: { tier: 'Advanced' },
    };
    const model = fakeModel(PRICERS.map((p) => ({ type: p.type, name: 'x', values: typical[p.type] ?? {} })));
    for (const p of PRICERS) {
      const node = model.byType(p.type)[0];
      const ids = p.components(node, { model, usage: { get: () => undefined }, warn: () => undefined }).map((c) => c.priceId);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect([p.type, snap.rows.some((r) => r.region === 'us-east-1' && r.id === id)]).toEqual([p.type, true]);
    }
  });

  it('keeps the published free tiers as data', () => {
    const q = (id: string) => snap.freeTier.find((o) => o.id === id)?.quantity;
    expect(q('codebuild-ec2-small')).toBe(100);
    expect(q('codepipeline-v1')).toBe(1);
    expect(q('codepipeline-v2')).toBe(100);
    expect(q('codecommit-users')).toBe(5);
    expect(q('kms-requests')).toBe(2); // 20,000 requests in 10k units
    expect(q('cloudwatch-alarms')).toBe(10);
    expect(q('cloudwatch-logs')).toBe(5);
    expect(q('sns-publish')).toBe(1); // 1M publishes in million units
    expect(q('dynamodb-storage')).toBe(25);
  });

  it('rejects a malformed snapshot with a one-line UserError naming the file', () => {
    expect(() => parseSnapshot('{', 'bad.json')).toThrow(UserError);
    expect(() => parseSnapshot('{', 'bad.json')).toThrow(/^bad\.json: not valid JSON/);
    const noSource = { ...snap, rows: [{ ...snap.rows[0], source: '' }] };
    expect(() => parseSnapshot(JSON.stringify(noSource), 'x.json')).toThrow(/x\.json: not a price snapshot: rows\.0\.source/);
    const dup = { ...snap, rows: [snap.rows[0], snap.rows[0]] };
    expect(() => parseSnapshot(JSON.stringify(dup), 'x.json')).toThrow(/duplicate price row/);
  });
});

describe('the price snapshot check', () => {
  const text = fs.readFileSync(defaultSnapshotPath(), 'utf8');
  /** The bundled snapshot's text with one change made by `edit`. */
  const corrupt = (edit: (s: any) => void) => {
    const copy = JSON.parse(text);
    edit(copy);
    return JSON.stringify(copy);
  };

  it('the bundled snapshot satisfies the full schema the tests hold it to', () => {
    const parsed = snapshotSchema().safeParse(JSON.parse(text));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it.each<[string, (s: any) => void, RegExp]>([
    ['a price given as text', (s) => (s.rows[0].unitPrice = '0.1'), /rows\.0\.unitPrice/],
    ['a negative price', (s) => (s.rows[0].unitPrice = -1), /rows\.0\.unitPrice/],
    ['a row without tiers', (s) => (s.rows[0].tiers = []), /rows\.0\.tiers/],
    ['a tier bound given as text', (s) => (s.rows[0].tiers[0].from = '0'), /rows\.0\.tiers\.0\.from/],
    ['a zero upper tier bound', (s) => (s.rows[0].tiers[0].to = 0), /rows\.0\.tiers\.0\.to/],
    ['a row without a filter', (s) => delete s.rows[0].filter, /rows\.0\.filter/],
    ['a filter attribute that is not text', (s) => (s.rows[0].filter.attributes = { a: 1 }), /rows\.0\.filter\.attributes\.a/],
    ['a row id that is not text', (s) => (s.rows[0].id = 7), /rows\.0\.id/],
    ['a bad row date', (s) => (s.rows[0].asOf = '26/11/2026'), /rows\.0\.asOf/],
    ['a row that is a list', (s) => (s.rows[0] = []), /rows\.0/],
    ['rows not a list', (s) => (s.rows = {}), /rows/],
    ['a free-tier offer with a zero quantity', (s) => (s.freeTier[0].quantity = 0), /freeTier\.0\.quantity/],
    ['a free-tier offer naming a row by number', (s) => (s.freeTier[0].rows = [1]), /freeTier\.0\.rows\.0/],
    ['another schema version', (s) => (s.schemaVersion = 2), /schemaVersion/],
    ['another currency', (s) => (s.currency = 'EUR'), /currency/],
    ['a region that is not text', (s) => (s.regions = [null]), /regions\.0/],
  ])('refuses %s with a one-line UserError naming the file and the field', (_what, edit, where) => {
    let error: unknown;
    try {
      parseSnapshot(corrupt(edit), 'x.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(/^x\.json: not a price snapshot: /);
    expect(message).toMatch(where);
    expect(message).not.toContain('\n');
    // The full schema refuses it too, at the same field: the run-time check and the schema cannot drift apart.
    const parsed = snapshotSchema().safeParse(JSON.parse(corrupt(edit)));
    expect(parsed.success).toBe(false);
    expect(parsed.success ? '' : parsed.error.issues.map((i) => i.path.join('.')).join(' ')).toMatch(where);
  });

  it('refuses JSON that is not an object', () => {
    expect(() => parseSnapshot('[]', 'x.json')).toThrow(/^x\.json: not a price snapshot: \(root\)/);
    expect(() => parseSnapshot('null', 'x.json')).toThrow(UserError);
    expect(snapshotSchema().safeParse([]).success).toBe(false);
    expect(snapshotSchema().safeParse(null).success).toBe(false);
  });
});

describe('tieredCost', () => {
  const tiers = [{ from: 0, to: 50, unitPrice: 0.023 }, { from: 50, to: 500, unitPrice: 0.022 }, { from: 500, unitPrice: 0.021 }];
  it('charges each slice at its tier price', () => {
    expect(tieredCost(tiers, 10)).toBeCloseTo(0.23, 10);
    expect(tieredCost(tiers, 100)).toBeCloseTo(50 * 0.023 + 50 * 0.022, 10);
    expect(tieredCost(tiers, 1000)).toBeCloseTo(50 * 0.023 + 450 * 0.022 + 500 * 0.021, 10);
    expect(tieredCost(tiers, 0)).toBe(0);
  });
});
