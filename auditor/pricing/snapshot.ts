/**
 * The bundled, dated price snapshot (`policies/data/pricing/snapshot.json`): loading and
 * validation. The snapshot is data: every row carries its unit, tiers, Price List filter,
 * source and date.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { UserError } from '../errors';
import type { PriceRow, Snapshot } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The full zod schema of a snapshot: what the tests hold the bundled file to, and what words the
 * error when the run-time check below refuses a snapshot. Built on demand because loading zod
 * costs tens of milliseconds on every audit, and the bundled snapshot is our own, tested data.
 */
function buildSchema(zod: typeof z) {
  const tier = zod.object({ from: zod.number().min(0), to: zod.number().positive().optional(), unitPrice: zod.number().min(0) });
  const row = zod.object({
    id: zod.string().min(1),
    service: zod.string().min(1),
    region: zod.string().min(1),
    description: zod.string().min(1),
    unit: zod.string().min(1),
    unitPrice: zod.number().min(0),
    tiers: zod.array(tier).min(1),
    filter: zod.object({
      serviceCode: zod.string().min(1),
      productFamily: zod.string().optional(),
      attributes: zod.record(zod.string(), zod.string()),
      unverified: zod.string().optional(),
    }),
    source: zod.string().min(1),
    asOf: zod.string().regex(DATE),
    corroboratedBy: zod.string().optional(),
  });
  const offer = zod.object({
    id: zod.string().min(1),
    description: zod.string().min(1),
    rows: zod.array(zod.string()).min(1),
    quantity: zod.number().positive(),
    unit: zod.string(),
    source: zod.string().min(1),
    asOf: zod.string().regex(DATE),
  });
  return zod.object({
    schemaVersion: zod.literal(1),
    currency: zod.literal('USD'),
    asOf: zod.string().regex(DATE),
    regions: zod.array(zod.string()),
    note: zod.string().optional(),
    rows: zod.array(row),
    freeTier: zod.array(offer),
  });
}

let schema: ReturnType<typeof buildSchema> | undefined;

/** The zod schema of a snapshot (zod loaded on first call). Exposed for tests. */
export function snapshotSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema((require('zod') as typeof import('zod')).z);
  return schema;
}

/** A problem found by the run-time check: where (dotted path) and what. */
class ShapeError extends Error {}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

function obj(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(`${at || '(root)'}: expected an object`);
  return v as Record<string, unknown>;
}
function arr(o: Record<string, unknown>, key: string, at: string, min = 0): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ShapeError(`${join(at, key)}: expected an array`);
  if (v.length < min) throw new ShapeError(`${join(at, key)}: expected at least ${min} item(s)`);
  return v;
}
/** A string: any, non-empty, optional (may be missing), or matching a date pattern. */
function str(o: Record<string, unknown>, key: string, at: string, rule: 'any' | 'nonEmpty' | 'optional' | RegExp): void {
  const v = o[key];
  if (v === undefined && rule === 'optional') return;
  if (typeof v !== 'string') throw new ShapeError(`${join(at, key)}: expected a string`);
  if (rule === 'nonEmpty' && v.length === 0) throw new ShapeError(`${join(at, key)}: expected a non-empty string`);
  if (rule instanceof RegExp && !rule.test(v)) throw new ShapeError(`${join(at, key)}: expected YYYY-MM-DD`);
}
/** A number at least `min` (`> 0` when `min` is 'positive'). */
function num(o: Record<string, unknown>, key: string, at: string, min: 0 | 'positive', optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !(min === 0 ? v >= 0 : v > 0)) {
    throw new ShapeError(`${join(at, key)}: expected a ${min === 0 ? 'non-negative' : 'positive'} number`);
  }
}

/**
 * The run-time check of a snapshot, without zod: every field the pricing code reads has its type
 * and bounds, so a hand-edited or corrupt file is refused before it can crash or mis-price a run.
 */
function checkShape(value: unknown): void {
  const root = obj(value, '');
  if (root.schemaVersion !== 1) throw new ShapeError('schemaVersion: expected 1');
  if (root.currency !== 'USD') throw new ShapeError('currency: expected "USD"');
  str(root, 'asOf', '', DATE);
  arr(root, 'regions', '').forEach((r, i) => {
    if (typeof r !== 'string') throw new ShapeError(`regions.${i}: expected a string`);
  });
  str(root, 'note', '', 'optional');
  arr(root, 'rows', '').forEach((v, i) => {
    const at = `rows.${i}`;
    const r = obj(v, at);
    for (const key of ['id', 'service', 'region', 'description', 'unit']) str(r, key, at, 'nonEmpty');
    num(r, 'unitPrice', at, 0);
    arr(r, 'tiers', at, 1).forEach((t, j) => {
      const tat = `${at}.tiers.${j}`;
      const tier = obj(t, tat);
      num(tier, 'from', tat, 0);
      num(tier, 'to', tat, 'positive', true);
      num(tier, 'unitPrice', tat, 0);
    });
    const fat = `${at}.filter`;
    const f = obj(r.filter, fat);
    str(f, 'serviceCode', fat, 'nonEmpty');
    str(f, 'productFamily', fat, 'optional');
    for (const [k, x] of Object.entries(obj(f.attributes, `${fat}.attributes`))) {
      if (typeof x !== 'string') throw new ShapeError(`${fat}.attributes.${k}: expected a string`);
    }
    str(f, 'unverified', fat, 'optional');
    str(r, 'source', at, 'nonEmpty');
    str(r, 'asOf', at, DATE);
    str(r, 'corroboratedBy', at, 'optional');
  });
  arr(root, 'freeTier', '').forEach((v, i) => {
    const at = `freeTier.${i}`;
    const o = obj(v, at);
    str(o, 'id', at, 'nonEmpty');
    str(o, 'description', at, 'nonEmpty');
    arr(o, 'rows', at, 1).forEach((x, j) => {
      if (typeof x !== 'string') throw new ShapeError(`${at}.rows.${j}: expected a string`);
    });
    num(o, 'quantity', at, 'positive');
    str(o, 'unit', at, 'any');
    str(o, 'source', at, 'nonEmpty');
    str(o, 'asOf', at, DATE);
  });
}

/** Where the bundled snapshot lives (works from the source tree and from dist/). */
export function defaultSnapshotPath(): string {
  const candidates = [
    path.resolve(__dirname, '../../policies/data/pricing/snapshot.json'),
    path.resolve(__dirname, '../../../policies/data/pricing/snapshot.json'),
  ];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

const cache = new Map<string, Snapshot>();

export function parseSnapshot(text: string, file: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(file, `not valid JSON (${(e as Error).message})`);
  }
  try {
    checkShape(raw);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    // Refused: let the full schema word the problem as it always has, when it sees one.
    const parsed = snapshotSchema().safeParse(raw);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    throw new UserError(file, `not a price snapshot: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : e.message}`);
  }
  const snap = raw as Snapshot;
  const seen = new Set<string>();
  for (const r of snap.rows) {
    const key = `${r.region}/${r.id}`;
    if (seen.has(key)) throw new UserError(file, `duplicate price row ${key}`);
    seen.add(key);
  }
  return snap;
}

export function loadSnapshot(file: string = defaultSnapshotPath()): Snapshot {
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(file, `cannot read the price snapshot (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const snap = parseSnapshot(text, file);
  cache.set(file, snap);
  return snap;
}

/** Rows indexed by `<region>/<id>`. */
export function indexRows(snap: Snapshot): Map<string, PriceRow> {
  const m = new Map<string, PriceRow>();
  for (const r of snap.rows) m.set(`${r.region}/${r.id}`, r);
  return m;
}

/** Cost of `quantity` units under a tiered schedule. */
export function tieredCost(tiers: readonly { from: number; to?: number; unitPrice: number }[], quantity: number): number {
  if (quantity <= 0) return 0;
  let inOrder = true;
  for (let i = 1; i < tiers.length && inOrder; i++) inOrder = tiers[i - 1].from <= tiers[i].from;
  const sorted = inOrder ? tiers : [...tiers].sort((a, b) => a.from - b.from);
  let cost = 0;
  for (const t of sorted) {
    if (quantity <= t.from) break;
    const upper = t.to === undefined ? quantity : Math.min(quantity, t.to);
    cost += (upper - t.from) * t.unitPrice;
  }
  return cost;
}
