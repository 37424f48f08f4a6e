/**
 * `gantry prices refresh`: rebuild the snapshot from the live Price List API with today's date.
 * Every row is re-read with its own filter (moved to other regions when asked); a row the API
 * cannot price keeps its old value and date, and is reported.
 */
import type { PricingClient } from '@aws-sdk/client-pricing';
import { UserError } from '../errors';
import { fetchLiveRows, type LiveRequest } from './live';
import type { PriceRow, Snapshot } from './types';

export interface RefreshOptions {
  client?: PricingClient;
  today: string;
  /** Regions to build (default: the snapshot's). Rows of new regions derive from us-east-1's filters. */
  regions?: string[];
  warn: (msg: string) => void;
}

export interface RefreshResult {
  snapshot: Snapshot;
  updated: string[];
  kept: string[];
}

export async function refreshSnapshot(old: Snapshot, opts: RefreshOptions): Promise<RefreshResult> {
  const regions = opts.regions?.length ? opts.regions : old.regions;
  const templates = old.rows.filter((r) => r.region === 'us-east-1');
  const byKey = new Map(old.rows.map((r) => [`${r.region}/${r.id}`, r]));
  const requests: LiveRequest[] = [];
  for (const region of regions) {
    for (const t of templates) {
      const existing = byKey.get(`${region}/${t.id}`);
      requests.push({ id: t.id, region, template: existing ?? t });
    }
  }
  const live = await fetchLiveRows(requests, { client: opts.client, noCache: true, today: opts.today, warn: opts.warn, freeTier: old.freeTier });
  const rows: PriceRow[] = [];
  const updated: string[] = [];
  const kept: string[] = [];
  for (const r of requests) {
    const key = `${r.region}/${r.id}`;
    const fresh = live.get(key);
    if (fresh) {
      rows.push(fresh);
      updated.push(key);
      continue;
    }
    const existing = byKey.get(key);
    if (existing) {
      rows.push(existing);
      kept.push(key);
    }
  }
  if (updated.length === 0) throw new UserError('prices refresh', 'no live price could be fetched (see the warnings); the snapshot was not changed');
  const covered = regions.filter((region) => rows.some((r) => r.region === region));
  return {
    snapshot: { ...old, asOf: opts.today, regions: [...new Set([...old.regions.filter((x) => covered.includes(x) || !regions.includes(x)), ...covered])], rows },
    updated,
    kept,
  };
}
