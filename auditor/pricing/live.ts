/**
 * Live prices from the AWS Price List Query API (`GetProducts`, us-east-1 endpoint): one call
 * per distinct product, at most 4 at a time, TERM_MATCH filters tight enough to hit one SKU,
 * and an on-disk cache with the fetch date ($GANTRY_CACHE_DIR/prices.json, else
 * ~/.cache/gantry/prices.json). Anything that fails falls back to the snapshot, with a warning.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetProductsCommand, PricingClient, type Filter } from '@aws-sdk/client-pricing';
import type { FreeTierOffer, PriceFilter, PriceRow, PriceTier } from './types';

export const MAX_CONCURRENCY = 4;
export const CACHE_TTL_DAYS = 7;

/** Region → the prefix AWS puts on regional usage types (where the snapshot's filters carry one). */
const USAGE_PREFIX: Record<string, string> = {
  'us-east-1': 'USE1', 'us-east-2': 'USE2', 'us-west-1': 'USW1', 'us-west-2': 'USW2',
  'ca-central-1': 'CAN1', 'eu-west-1': 'EU', 'eu-west-2': 'EUW2', 'eu-west-3': 'EUW3',
  'eu-central-1': 'EUC1', 'eu-north-1': 'EUN1', 'eu-south-1': 'EUS1', 'ap-northeast-1': 'APN1',
  'ap-northeast-2': 'APN2', 'ap-northeast-3': 'APN3', 'ap-southeast-1': 'APS1', 'ap-southeast-2': 'APS2',
  'ap-south-1': 'APS3', 'sa-east-1': 'SAE1',
};

/** How many Price List units one row unit holds (`1k requests` → 1000). */
export function unitScale(unit: string): number {
  const m = /^(\d+)?(k|million)?\b/i.exec(unit.trim());
  if (!m || (!m[1] && !m[2])) return 1;
  const n = m[1] ? Number(m[1]) : 1;
  const mult = m[2]?.toLowerCase() === 'k' ? 1000 : m[2]?.toLowerCase() === 'million' ? 1e6 : 1;
  return n * mult;
}

/** The snapshot's us-east-1 filter moved to another region (regionCode and usage-type prefix). */
export function filterForRegion(f: PriceFilter, fromRegion: string, toRegion: string): PriceFilter | undefined {
  if (fromRegion === toRegion) return f;
  const attributes: Record<string, string> = { ...f.attributes };
  if (attributes.regionCode !== undefined) attributes.regionCode = toRegion;
  const ut = attributes.usagetype;
  if (ut !== undefined) {
    const from = USAGE_PREFIX[fromRegion];
    const to = USAGE_PREFIX[toRegion];
    if (ut.startsWith(`${from}-`)) {
      if (!to) return undefined;
      attributes.usagetype = `${to}-${ut.slice(from.length + 1)}`;
    } else if (ut.startsWith(`${fromRegion}-`)) {
      attributes.usagetype = `${toRegion}-${ut.slice(fromRegion.length + 1)}`;
    } else if (fromRegion === 'us-east-1') {
      // us-east-1 usage types of older services carry no prefix; other regions do.
      if (!to) return undefined;
      attributes.usagetype = `${to}-${ut}`;
    }
  }
  return { ...f, attributes };
}

export function toApiFilters(f: PriceFilter): Filter[] {
  const out: Filter[] = [];
  if (f.productFamily) out.push({ Type: 'TERM_MATCH', Field: 'productFamily', Value: f.productFamily });
  for (const [k, v] of Object.entries(f.attributes)) out.push({ Type: 'TERM_MATCH', Field: k, Value: v });
  return out;
}

interface PriceListProduct {
  product?: { sku?: string; productFamily?: string; attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; beginRange?: string; endRange?: string; pricePerUnit?: { USD?: string } }> }> };
  publicationDate?: string;
}

/** Turn one GetProducts answer into tiers in the row's unit; throws with a reason when it cannot. */
export function parsePriceList(priceList: readonly string[], unit: string, freeTierQuantity = 0): { sku: string; tiers: PriceTier[]; publicationDate?: string } {
  if (priceList.length === 0) throw new Error('no product matched the filter');
  if (priceList.length > 1) throw new Error(`the filter matched ${priceList.length} products, not one`);
  let doc: PriceListProduct;
  try {
    doc = JSON.parse(priceList[0]) as PriceListProduct;
  } catch {
    throw new Error('the PriceList entry is not JSON');
  }
  const sku = doc.product?.sku ?? 'unknown-sku';
  const terms = Object.values(doc.terms?.OnDemand ?? {});
  if (terms.length !== 1) throw new Error(`SKU ${sku} has ${terms.length} on-demand terms, not one`);
  const dims = Object.values(terms[0].priceDimensions ?? {});
  if (dims.length === 0) throw new Error(`SKU ${sku} has no price dimensions`);
  const scale = unitScale(unit);
  let tiers: PriceTier[] = dims
    .map((d) => {
      const usd = Number(d.pricePerUnit?.USD);
      if (!Number.isFinite(usd)) throw new Error(`SKU ${sku} has a price dimension without a USD price`);
      const begin = Number(d.beginRange ?? '0');
      const end = d.endRange === undefined || d.endRange === 'Inf' ? undefined : Number(d.endRange);
      const t: PriceTier = { from: begin / scale, unitPrice: usd * scale };
      if (end !== undefined && Number.isFinite(end)) t.to = end / scale;
      return t;
    })
    .sort((a, b) => a.from - b.from);
  // A $0 first tier is AWS's always-free allowance: Gantry applies that once per account from its
  // own free-tier data, so drop it here and shift the rest down to keep the schedule equivalent.
  if (tiers.length > 1 && tiers[0].unitPrice === 0 && freeTierQuantity > 0 && tiers[0].to !== undefined) {
    const shift = tiers[0].to;
    tiers = tiers.slice(1).map((t) => ({ from: Math.max(0, t.from - shift), ...(t.to !== undefined ? { to: t.to - shift } : {}), unitPrice: t.unitPrice }));
  }
  for (const t of tiers) {
    t.unitPrice = Math.round(t.unitPrice * 1e10) / 1e10;
  }
  return { sku, tiers, publicationDate: doc.publicationDate };
}

export function defaultCacheFile(): string {
  const dir = process.env.GANTRY_CACHE_DIR || path.join(os.homedir(), '.cache', 'gantry');
  return path.join(dir, 'prices.json');
}

interface CacheEntry { fetchedAt: string; row: PriceRow }
interface CacheFile { version: 1; entries: Record<string, CacheEntry> }

function readCache(file: string): CacheFile {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (c && c.version === 1 && typeof c.entries === 'object' && c.entries !== null) return c;
  } catch {
    // missing or unreadable cache: start afresh
  }
  return { version: 1, entries: {} };
}

function writeCache(file: string, c: CacheFile, warn: (m: string) => void): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(c, null, 1));
    fs.renameSync(tmp, file);
  } catch (e) {
    warn(`price cache ${file} not written: ${(e as Error).message}`);
  }
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;
}

export interface LiveRequest {
  /** Snapshot row id. */
  id: string;
  region: string;
  /** The snapshot row it is derived from (its filter, unit, description). */
  template: PriceRow;
}

export interface LiveOptions {
  client?: PricingClient;
  cacheFile?: string;
  /** Skip the cache (maintainer refresh). */
  noCache?: boolean;
  today: string;
  warn: (msg: string) => void;
  freeTier: readonly FreeTierOffer[];
}

/** Fetch live rows; returns only the ones that succeeded (keyed `<region>/<id>`). */
export async function fetchLiveRows(requests: readonly LiveRequest[], opts: LiveOptions): Promise<Map<string, PriceRow>> {
  const client = opts.client ?? new PricingClient({ region: 'us-east-1', maxAttempts: 2 });
  const cacheFile = opts.cacheFile ?? defaultCacheFile();
  const cache = opts.noCache ? { version: 1 as const, entries: {} } : readCache(cacheFile);
  const out = new Map<string, PriceRow>();
  // One call per distinct product: dedupe by the filter itself.
  const byKey = new Map<string, { filter: PriceFilter; reqs: LiveRequest[] }>();
  for (const r of requests) {
    const filter = filterForRegion(r.template.filter, r.template.region, r.region);
    if (!filter) {
      opts.warn(`live price for ${r.id} in ${r.region}: no usage-type prefix known for the region; using the snapshot where it has one`);
      continue;
    }
    if (filter.unverified && /no Price List SKU/.test(filter.unverified)) continue;
    const key = JSON.stringify([filter.serviceCode, filter.productFamily ?? '', Object.entries(filter.attributes).sort()]);
    const e = byKey.get(key) ?? { filter, reqs: [] };
    e.reqs.push(r);
    byKey.set(key, e);
  }
  let dirty = false;
  const jobs = [...byKey.entries()];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [key, { filter, reqs }] = jobs[next++];
      const first = reqs[0];
      const hit = cache.entries[key];
      if (hit && daysBetween(hit.fetchedAt, opts.today) <= CACHE_TTL_DAYS) {
        for (const r of reqs) out.set(`${r.region}/${r.id}`, { ...hit.row, id: r.id, region: r.region });
        continue;
      }
      try {
        const res = await client.send(new GetProductsCommand({ ServiceCode: filter.serviceCode, Filters: toApiFilters(filter), FormatVersion: 'aws_v1', MaxResults: 2 }));
        const free = opts.freeTier.filter((o) => o.rows.includes(first.id)).reduce((s, o) => s + o.quantity, 0);
        const parsed = parsePriceList(res.PriceList ?? [], first.template.unit, free);
        const row: PriceRow = {
          id: first.id,
          service: first.template.service,
          region: first.region,
          description: first.template.description,
          unit: first.template.unit,
          unitPrice: parsed.tiers[0].unitPrice,
          tiers: parsed.tiers,
          filter: { serviceCode: filter.serviceCode, ...(filter.productFamily ? { productFamily: filter.productFamily } : {}), attributes: filter.attributes },
          source: `aws-pricing-api:GetProducts ${filter.serviceCode} SKU ${parsed.sku}`,
          asOf: opts.today,
        };
        cache.entries[key] = { fetchedAt: opts.today, row };
        dirty = true;
        for (const r of reqs) out.set(`${r.region}/${r.id}`, { ...row, id: r.id, region: r.region });
      } catch (e) {
        const err = e as Error & { name?: string };
        opts.warn(`live price for ${first.id} in ${first.region} (${filter.serviceCode} ${Object.values(filter.attributes).join(' ')}) failed: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}; using the snapshot`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENCY, jobs.length) }, worker));
  if (dirty && !opts.noCache) writeCache(cacheFile, cache, opts.warn);
  return out;
}
