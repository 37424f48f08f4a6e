/**
 * The bundled, dated quota snapshot (policies/data/quotas/quotas.json): for each quota its Service
 * Quotas codes, AWS default value, scope, which planned resources count towards it and how, and the
 * AWS page the number was checked against. Loaded and validated once.
 */
import type { z } from 'zod';
import raw from '../../policies/data/quotas/quotas.json';

/**
 * The full zod schema of the snapshot: the source of the types below, what the tests hold the
 * bundled file to, and what words the error when the run-time check below refuses a snapshot.
 * Built on demand because loading zod costs tens of milliseconds on every audit, and the
 * snapshot is our own, test-validated data.
 */
function buildSchemas(zod: typeof z) {
  const scalar = zod.union([zod.string(), zod.number(), zod.boolean()]);

  const CountRule = zod.object({
    /** Terraform resource type whose planned instances count. */
    type: zod.string().regex(/^aws_[a-z0-9_]+$/),
    /** Only instances whose value at each dotted path (nested blocks searched through) is one of these. */
    where: zod.record(zod.string(), zod.array(scalar)).optional(),
    /** Only instances whose value at each dotted path is NOT one of these (a missing value passes). */
    whereNot: zod.record(zod.string(), zod.array(scalar)).optional(),
  });

  /**
   * One fact behind a snapshot entry: what was confirmed, where, when, and how strong the source is —
   * `aws` (an AWS page, read directly or as a stored copy of it), `aws-old` (an older AWS page whose
   * value may have changed since), `third-party` (public Service Quotas listings or articles, used
   * only where no AWS page could be read).
   */
  const Evidence = zod.object({
    claim: zod.string().min(1),
    source: zod.string().url(),
    kind: zod.enum(['aws', 'aws-old', 'third-party']),
    checked: zod.string().regex(DATE),
  });

  const UsageMetric = zod.object({
    namespace: zod.string(),
    name: zod.string(),
    dimensions: zod.record(zod.string(), zod.string()),
    statistic: zod.string(),
  });

  const QuotaDefSchema = zod.object({
    /** Stable id used in tests and messages. */
    id: zod.string().regex(QUOTA_ID),
    /** Service Quotas service code (`codepipeline`, `iam`, …). */
    serviceCode: zod.string(),
    /** Service Quotas quota code (`L-…`). */
    quotaCode: zod.string().regex(QUOTA_CODE),
    quotaName: zod.string(),
    defaultValue: zod.number().positive(),
    adjustable: zod.boolean(),
    /** region: per account per region · account: per account, all regions together · global: IAM-style global service. */
    scope: zod.enum(['region', 'account', 'global']),
    /** The region Service Quotas reports an account-wide or global quota in. */
    quotaRegion: zod.string().optional(),
    counts: zod.array(CountRule).min(1),
    /** Per-parent quotas: instances are grouped by the value at this path. */
    groupBy: zod.object({ path: zod.string(), label: zod.string(), default: zod.string().optional() }).optional(),
    /** How planned instances turn into usage, in one sentence (shown with the row). */
    basis: zod.string(),
    /**
     * Live current usage: `iam-summary:<SummaryMap key>` (IAM GetAccountSummary), or
     * `service-quotas-metric` (the CloudWatch metric Service Quotas names in UsageMetric, else
     * `usageMetric` below when given), or `none`.
     */
    usage: zod.string().regex(USAGE),
    usageMetric: UsageMetric.optional(),
    /** AWS default values that differ by region. */
    regionalDefaults: zod.record(zod.string(), zod.number().positive()).optional(),
    /**
     * What going over does: `apply` — creating the resource fails, the apply stops half way;
     * `runtime` — the apply succeeds but work queues or fails later (concurrent builds, deployments).
     */
    impact: zod.enum(['apply', 'runtime']),
    /** A caveat about the default value, shown with the row. */
    note: zod.string().optional(),
    source: zod.string().url(),
    checked: zod.string().regex(DATE),
    /** What was confirmed for this entry and from where (code, default, scope). */
    evidence: zod.array(Evidence).min(1),
  });

  const StructuralLimitSchema = zod.object({
    id: zod.string(),
    serviceCode: zod.string(),
    quotaCode: zod.string().regex(QUOTA_CODE).optional(),
    name: zod.string(),
    defaultValue: zod.number().positive(),
    /** Highest value AWS allows on request, when the limit is adjustable. */
    maxValue: zod.number().positive().optional(),
    adjustable: zod.boolean(),
    unit: zod.string(),
    source: zod.string().url(),
    checked: zod.string().regex(DATE),
    /** A caveat about the value (shown in findings). */
    note: zod.string().optional(),
    evidence: zod.array(Evidence).min(1),
  });

  const SnapshotSchema = zod.object({
    asOf: zod.string().regex(DATE),
    quotas: zod.array(QuotaDefSchema).min(1),
    structural: zod.array(StructuralLimitSchema),
  });

  return { CountRule, Evidence, QuotaDefSchema, StructuralLimitSchema, SnapshotSchema };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const QUOTA_ID = /^[a-z0-9-]+$/;
const QUOTA_CODE = /^L-[0-9A-F]{8}$/;
const USAGE = /^(iam-summary:[A-Za-z]+|service-quotas-metric|none)$/;

type Schemas = ReturnType<typeof buildSchemas>;
export type QuotaDef = z.infer<Schemas['QuotaDefSchema']>;
export type CountRule = z.infer<Schemas['CountRule']>;
export type StructuralLimit = z.infer<Schemas['StructuralLimitSchema']>;
export type QuotaEvidence = z.infer<Schemas['Evidence']>;
export type QuotaSnapshot = z.infer<Schemas['SnapshotSchema']>;

let schemas: Schemas | undefined;

/** The zod schemas (zod loaded on first call). Exposed for tests. */
export function snapshotSchemas(): Schemas {
  schemas ??= buildSchemas((require('zod') as typeof import('zod')).z);
  return schemas;
}

/** A problem found by the run-time check: where (dotted path) and what. */
class ShapeError extends Error {
  constructor(readonly at: string, what: string) {
    super(`${at}: ${what}`);
  }
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, at: string): Record<string, unknown> {
  if (!isRecord(v)) throw new ShapeError(at, 'expected an object');
  return v;
}
function arr(v: unknown, at: string, min = 0): unknown[] {
  if (!Array.isArray(v)) throw new ShapeError(at, 'expected an array');
  if (v.length < min) throw new ShapeError(at, `expected at least ${min} item(s)`);
  return v;
}
function str(o: Record<string, unknown>, key: string, at: string, pattern?: RegExp, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'string') throw new ShapeError(join(at, key), 'expected a string');
  if (pattern && !pattern.test(v)) throw new ShapeError(join(at, key), `does not match ${pattern.source}`);
}
function positive(o: Record<string, unknown>, key: string, at: string, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !(v > 0)) throw new ShapeError(join(at, key), 'expected a positive number');
}
function bool(o: Record<string, unknown>, key: string, at: string): void {
  if (typeof o[key] !== 'boolean') throw new ShapeError(join(at, key), 'expected a boolean');
}
function oneOf(o: Record<string, unknown>, key: string, at: string, allowed: readonly string[]): void {
  if (!allowed.includes(o[key] as string)) throw new ShapeError(join(at, key), `expected one of ${allowed.join(', ')}`);
}
function recordOf(v: unknown, at: string, ok: (x: unknown) => boolean, what: string): void {
  if (v === undefined) return;
  for (const [k, x] of Object.entries(obj(v, at))) if (!ok(x)) throw new ShapeError(`${at}.${k}`, `expected ${what}`);
}

const isScalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';

function checkEvidence(o: Record<string, unknown>, at: string): void {
  arr(o.evidence, `${at}.evidence`, 1).forEach((v, i) => {
    const e = obj(v, `${at}.evidence.${i}`);
    const eat = `${at}.evidence.${i}`;
    str(e, 'claim', eat, /./);
    str(e, 'source', eat);
    oneOf(e, 'kind', eat, ['aws', 'aws-old', 'third-party']);
    str(e, 'checked', eat, DATE);
  });
}

/**
 * The run-time check of a snapshot, without zod: every field the code reads has its type (and
 * the enums, patterns and bounds the code relies on hold), so a hand-edited or corrupt file is
 * refused before it can crash a rule. The full schema (URLs included) is held by the tests.
 */
function checkShape(value: unknown): void {
  const root = obj(value, '(root)');
  str(root, 'asOf', '', DATE);
  arr(root.quotas, 'quotas', 1).forEach((v, i) => {
    const at = `quotas.${i}`;
    const q = obj(v, at);
    str(q, 'id', at, QUOTA_ID);
    str(q, 'serviceCode', at);
    str(q, 'quotaCode', at, QUOTA_CODE);
    str(q, 'quotaName', at);
    positive(q, 'defaultValue', at);
    bool(q, 'adjustable', at);
    oneOf(q, 'scope', at, ['region', 'account', 'global']);
    str(q, 'quotaRegion', at, undefined, true);
    arr(q.counts, `${at}.counts`, 1).forEach((c, j) => {
      const cat = `${at}.counts.${j}`;
      const rule = obj(c, cat);
      str(rule, 'type', cat, /^aws_[a-z0-9_]+$/);
      const scalars = (x: unknown) => Array.isArray(x) && x.every(isScalar);
      recordOf(rule.where, `${cat}.where`, scalars, 'an array of strings, numbers or booleans');
      recordOf(rule.whereNot, `${cat}.whereNot`, scalars, 'an array of strings, numbers or booleans');
    });
    if (q.groupBy !== undefined) {
      const g = obj(q.groupBy, `${at}.groupBy`);
      str(g, 'path', `${at}.groupBy`);
      str(g, 'label', `${at}.groupBy`);
      str(g, 'default', `${at}.groupBy`, undefined, true);
    }
    str(q, 'basis', at);
    str(q, 'usage', at, USAGE);
    if (q.usageMetric !== undefined) {
      const mat = `${at}.usageMetric`;
      const m = obj(q.usageMetric, mat);
      str(m, 'namespace', mat);
      str(m, 'name', mat);
      recordOf(m.dimensions ?? null, `${mat}.dimensions`, (x) => typeof x === 'string', 'a string');
      str(m, 'statistic', mat);
    }
    recordOf(q.regionalDefaults, `${at}.regionalDefaults`, (x) => typeof x === 'number' && x > 0, 'a positive number');
    oneOf(q, 'impact', at, ['apply', 'runtime']);
    str(q, 'note', at, undefined, true);
    str(q, 'source', at);
    str(q, 'checked', at, DATE);
    checkEvidence(q, at);
  });
  arr(root.structural, 'structural').forEach((v, i) => {
    const at = `structural.${i}`;
    const s = obj(v, at);
    str(s, 'id', at);
    str(s, 'serviceCode', at);
    str(s, 'quotaCode', at, QUOTA_CODE, true);
    str(s, 'name', at);
    positive(s, 'defaultValue', at);
    positive(s, 'maxValue', at, true);
    bool(s, 'adjustable', at);
    str(s, 'unit', at);
    str(s, 'source', at);
    str(s, 'checked', at, DATE);
    str(s, 'note', at, undefined, true);
    checkEvidence(s, at);
  });
}

const FILE = 'policies/data/quotas/quotas.json';

/** Validate a snapshot object (throws one line naming the first problem). Exposed for tests. */
export function parseSnapshot(value: unknown): QuotaSnapshot {
  try {
    checkShape(value);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    // Refused: let the full schema word the problem as it always has, when it sees one.
    const parsed = snapshotSchemas().SnapshotSchema.safeParse(value);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    throw new Error(`${FILE}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : e.message}`);
  }
  const snap = value as QuotaSnapshot;
  const seen = new Set<string>();
  for (const list of [snap.quotas, snap.structural]) {
    for (const q of list) {
      if (seen.has(q.id)) throw new Error(`${FILE}: duplicate quota id ${q.id}`);
      seen.add(q.id);
    }
  }
  return snap;
}

let cached: QuotaSnapshot | undefined;

/** The bundled snapshot. */
export function loadSnapshot(): QuotaSnapshot {
  cached ??= parseSnapshot(raw);
  return cached;
}

/** The AWS default of a quota in a region (regional exceptions honoured). */
export function defaultIn(q: QuotaDef, region: string): number {
  return q.regionalDefaults?.[region] ?? q.defaultValue;
}

/** A structural (per-resource) limit by id; throws if the snapshot lacks it (a packaging bug). */
export function structuralLimit(id: string): StructuralLimit {
  const found = loadSnapshot().structural.find((s) => s.id === id);
  if (!found) throw new Error(`quota snapshot has no structural limit ${id}`);
  return found;
}
