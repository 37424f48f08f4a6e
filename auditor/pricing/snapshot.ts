/**
 * The bundled, dated price snapshot (`policies/data/pricing/snapshot.json`): loading and
 * validation. The snapshot is data: every row carries its unit, tiers, Price List filter,
 * source and date.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { UserError } from '../errors';
import type { PriceRow, Snapshot } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const tier = z.object({ from: z.number().min(0), to: z.number().positive().optional(), unitPrice: z.number().min(0) });
const row = z.object({
  id: z.string().min(1),
  service: z.string().min(1),
  region: z.string().min(1),
  description: z.string().min(1),
  unit: z.string().min(1),
  unitPrice: z.number().min(0),
  tiers: z.array(tier).min(1),
  filter: z.object({
    serviceCode: z.string().min(1),
    productFamily: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
    unverified: z.string().optional(),
  }),
  source: z.string().min(1),
  asOf: z.string().regex(DATE),
  corroboratedBy: z.string().optional(),
});
const offer = z.object({
  id: z.string().min(1),
  description: z.string().min(1),
  rows: z.array(z.string()).min(1),
  quantity: z.number().positive(),
  unit: z.string(),
  source: z.string().min(1),
  asOf: z.string().regex(DATE),
});
export const snapshotSchema = z.object({
  schemaVersion: z.literal(1),
  currency: z.literal('USD'),
  asOf: z.string().regex(DATE),
  regions: z.array(z.string()),
  note: z.string().optional(),
  rows: z.array(row),
  freeTier: z.array(offer),
});

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
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(file, `not a price snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const snap = parsed.data as Snapshot;
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
