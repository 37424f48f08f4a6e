/**
 * Cost estimation: the resource model + the price snapshot (or live prices) + a usage file →
 * the report's `cost` section. Every component says which price row it used, where that price
 * came from and when it was read; free tiers are applied once per account after summing.
 */
import type { CostDiff, CostReport } from '../report/contract';
import type { ResourceModel, ResourceNode } from '../model/types';
import { applyFreeTier, byStackAndAddress, round } from './free-tier';
// ./live loads the AWS SDK pricing client: required only under --live.
import type { LiveRequest } from './live';
import { FREE_TYPES, PRICER_BY_TYPE } from './resources';
import { indexRows, loadSnapshot, tieredCost } from './snapshot';
import type { ComponentRequest, CostCoverage, GantryCostReport, PricedComponent, PricedResource, PriceRow, Snapshot } from './types';
import { loadUsage, usageFor, type UsageFile } from './usage';
import type { PricingClient } from '@aws-sdk/client-pricing';

export type { GantryCostReport, PricedComponent, PricedResource } from './types';
export { FREE_TYPES, PRICERS } from './resources';

export const DEFAULT_REGION = 'us-east-1';

export interface EstimateOptions {
  region?: string;
  live: boolean;
  /** Path to an infracost usage file (version 0.1). */
  usage?: string;
  freeTier: boolean;
  warn: (msg: string) => void;
  /** YYYY-MM-DD (tests); defaults to today's UTC date. */
  today?: string;
  /** Tests: another snapshot file, a mocked client, a cache file. */
  snapshotFile?: string;
  pricingClient?: PricingClient;
  cacheFile?: string;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Nodes that exist after apply (plans: skip deletes and reads; configs: every managed node). */
function priceable(n: ResourceNode): boolean {
  if (n.mode !== 'managed') return false;
  if (n.action === 'delete' || n.action === 'read') return false;
  return n.count > 0;
}

export async function estimateCost(model: ResourceModel, opts: EstimateOptions): Promise<GantryCostReport> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.includes(m)) return;
    warnings.push(m);
    opts.warn(m);
  };
  const today = opts.today ?? todayUtc();
  const snapshot: Snapshot = loadSnapshot(opts.snapshotFile);
  const rows = indexRows(snapshot);
  const usageFile: UsageFile | undefined = opts.usage ? loadUsage(opts.usage) : undefined;
  const regionOf = new Map(model.stacks.map((s) => [s.name, s.region]));
  const fallbackRegion = opts.region ?? DEFAULT_REGION;
  const nodeRegion = (n: ResourceNode) => regionOf.get(n.stack) ?? fallbackRegion;

  // 1. Ask every pricer for its components (pure), remembering the price rows they need.
  interface Pending { node: ResourceNode; region: string; reqs: ComponentRequest[] }
  const pending: Pending[] = [];
  const unsupported: GantryCostReport['unsupported'] = [];
  const free: NonNullable<GantryCostReport['free']> = [];
  const knownKeys = new Map<string, Set<string>>();
  // Regions the input asks for (priceable resources per region, first-seen order): the report's region is the main one.
  const requested = new Map<string, number>();
  for (const node of model.resources) {
    if (!priceable(node)) continue;
    requested.set(nodeRegion(node), (requested.get(nodeRegion(node)) ?? 0) + 1);
    const pricer = PRICER_BY_TYPE.get(node.type);
    if (!pricer) {
      const reason = FREE_TYPES.get(node.type);
      if (reason) free.push({ resource: node.address, stack: node.stack, type: node.type, reason });
      else unsupported.push({ resource: node.address, stack: node.stack, type: node.type, reason: 'no pricing for this resource type', cause: 'unsupported-type', region: nodeRegion(node) });
      continue;
    }
    if (usageFile && !knownKeys.has(node.type)) knownKeys.set(node.type, new Set(pricer.usage.map((u) => u.key)));
    const usage = usageFor(usageFile, node);
    const reqs = pricer.components(node, { model, usage, warn });
    pending.push({ node, region: nodeRegion(node), reqs });
  }
  if (usageFile) checkUsageKeys(usageFile, knownKeys, warn);

  // 2. Resolve prices: snapshot rows, or live rows (falling back to the snapshot).
  const needed = new Map<string, LiveRequest>();
  const seen = new Map<string, Set<string>>(); // region → price ids already considered
  for (const p of pending) {
    let ids = seen.get(p.region);
    if (!ids) seen.set(p.region, (ids = new Set()));
    for (const r of p.reqs) {
      if (ids.has(r.priceId)) continue;
      ids.add(r.priceId);
      const key = `${p.region}/${r.priceId}`;
      if (needed.has(key)) continue;
      const template = rows.get(key) ?? rows.get(`${DEFAULT_REGION}/${r.priceId}`) ?? snapshot.rows.find((x) => x.id === r.priceId);
      if (template) needed.set(key, { id: r.priceId, region: p.region, template });
    }
  }
  let live = new Map<string, PriceRow>();
  if (opts.live && needed.size > 0) {
    const { fetchLiveRows } = require('./live') as typeof import('./live');
    live = await fetchLiveRows([...needed.values()], { client: opts.pricingClient, cacheFile: opts.cacheFile, today, warn, freeTier: snapshot.freeTier });
  }

  // 3. Build the priced resources; what could not be priced is tallied per region for one note each.
  const gaps = new Map<string, RegionGap>();
  const noteUnpriced = (region: string, node: ResourceNode, components: string[], partly: boolean) => {
    let g = gaps.get(region);
    if (!g) gaps.set(region, (g = { resources: 0, partly: 0, stacks: new Set(), components: new Set() }));
    g.resources++;
    if (partly) g.partly++;
    g.stacks.add(node.stack);
    for (const c of components) g.components.add(c);
  };
  // Each (region, price id) looked up once: the row to use and whether it came from the live API.
  const resolvedIn = new Map<string, Map<string, { row: PriceRow | undefined; live: boolean }>>();
  const resolve = (region: string, priceId: string) => {
    let byId = resolvedIn.get(region);
    if (!byId) resolvedIn.set(region, (byId = new Map()));
    let hit = byId.get(priceId);
    if (!hit) {
      const key = `${region}/${priceId}`;
      const liveRow = live.get(key);
      byId.set(priceId, (hit = { row: liveRow ?? rows.get(key), live: liveRow !== undefined }));
    }
    return hit;
  };
  const resources: PricedResource[] = [];
  for (const p of pending) {
    const components: PricedComponent[] = [];
    const unpriced: string[] = [];
    for (const r of p.reqs) {
      const hit = resolve(p.region, r.priceId);
      const row = hit.row;
      if (!row) {
        unpriced.push(r.name);
        continue;
      }
      const quantity = r.quantity * p.node.count;
      const c: PricedComponent = {
        name: r.name,
        unit: row.unit,
        quantity: round(quantity),
        unitPrice: row.unitPrice,
        monthly: round(tieredCost(row.tiers, quantity)),
        priceId: row.id,
        priceSource: hit.live ? 'aws-pricing-api' : 'snapshot',
        source: row.source,
        asOf: row.asOf,
        region: p.region,
      };
      if (r.estimated) c.estimated = true;
      components.push(c);
    }
    if (unpriced.length > 0) {
      const inSnapshot = snapshot.regions.includes(p.region);
      const reason = inSnapshot
        ? `no price for ${unpriced.join(', ')} in the snapshot${opts.live ? ' or from the live API' : ' (try --live)'}`
        : `region ${p.region} is not in the price snapshot${opts.live ? ' and the live lookup failed' : '; use --live'} (${unpriced.join(', ')})`;
      // Details stay in the JSON (cost.unsupported); the notes get one line per region (below).
      unsupported.push({ resource: p.node.address, stack: p.node.stack, type: p.node.type, reason, cause: 'no-price', region: p.region, components: unpriced });
      noteUnpriced(p.region, p.node, unpriced, components.length > 0);
      if (components.length === 0) continue;
    }
    resources.push({
      resource: p.node.address,
      stack: p.node.stack,
      type: p.node.type,
      region: p.region,
      count: p.node.count,
      monthly: round(components.reduce((s, c) => s + c.monthly, 0)),
      components,
    });
  }

  // Sorted before the free tier, whose own (same-order) sort then has nothing to move.
  resources.sort(byStackAndAddress);

  // 4. Free tier, once per account, after summing.
  const rowFor = (c: PricedComponent) => resolve(c.region, c.priceId).row;
  const offers = opts.freeTier
    ? applyFreeTier(resources, snapshot.freeTier, (c, q) => {
        const row = rowFor(c);
        return row ? tieredCost(row.tiers, q) : c.unitPrice * q;
      })
    : [];

  let anyLive = false;
  let earliest: string | undefined;
  for (const r of resources) {
    for (const c of r.components) {
      if (c.priceSource === 'aws-pricing-api') anyLive = true;
      if (earliest === undefined || c.asOf < earliest) earliest = c.asOf;
    }
  }
  const coverage = coverageOf(gaps, requested, resources, unsupported, snapshot, opts.live);
  for (const g of coverage.regions) if (g.note) warn(g.note);
  const regions = [...requested.keys()];
  const primary = regions.length === 0 ? fallbackRegion : [...requested.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return {
    currency: 'USD',
    monthlyTotal: round(resources.reduce((s, r) => s + r.monthly, 0)),
    pricing: {
      source: anyLive ? 'aws-pricing-api' : 'snapshot',
      asOf: anyLive ? today : earliest ?? snapshot.asOf,
      region: primary,
      regions: regions.length === 0 ? [fallbackRegion] : regions,
    },
    coverage,
    resources,
    unsupported,
    free,
    freeTier: { applied: opts.freeTier, offers },
    usageFile: usageFile?.file ?? null,
    warnings,
    diff: null,
  };
}

interface RegionGap {
  resources: number;
  /** Of those, resources with some components priced. */
  partly: number;
  stacks: Set<string>;
  components: Set<string>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What was and was not priced, per region, with one note line for each region that has gaps. */
function coverageOf(
  gaps: Map<string, RegionGap>,
  requested: Map<string, number>,
  resources: PricedResource[],
  unsupported: GantryCostReport['unsupported'],
  snapshot: Snapshot,
  live: boolean,
): CostCoverage {
  const bundled = `bundled ${snapshot.asOf}, ${snapshot.regions.length === 1 ? `${snapshot.regions[0]} only` : snapshot.regions.join(', ')}`;
  const regions: CostCoverage['regions'] = [];
  for (const region of requested.keys()) {
    const inSnapshot = snapshot.regions.includes(region);
    const g = gaps.get(region);
    const entry: CostCoverage['regions'][number] = { region, inSnapshot, resources: requested.get(region)!, unpricedResources: g?.resources ?? 0 };
    if (g) {
      const what = `${plural(g.resources, 'resource')} in ${plural(g.stacks.size, 'stack')} not ${g.partly === g.resources ? 'fully ' : g.partly ? '(or not fully) ' : ''}priced`;
      if (!inSnapshot) {
        entry.reason = 'region not in snapshot';
        entry.note = live
          ? `region ${region} is not in the price snapshot (${bundled}) and the live Price List lookups for it failed: ${what}; see cost.unsupported`
          : `region ${region} is not in the price snapshot (${bundled}): ${what}; use --live to price it from the AWS Price List API`;
      } else {
        const comps = [...g.components].sort();
        entry.reason = 'no price in snapshot';
        entry.note = `region ${region}: ${what}: the snapshot (${bundled}) has no ${region} price for ${comps.slice(0, 6).join(', ')}${comps.length > 6 ? ` and ${comps.length - 6} more` : ''}${live ? ' and the live lookups failed' : '; use --live'}; see cost.unsupported`;
      }
    }
    regions.push(entry);
  }
  const noPrice = unsupported.filter((u) => u.cause === 'no-price').length;
  const unsupportedTypes = unsupported.filter((u) => u.cause === 'unsupported-type').length;
  const partial = new Set(unsupported.filter((u) => u.cause === 'no-price').map((u) => `${u.stack}\u0000${u.resource}`));
  const fully = resources.filter((r) => !partial.has(`${r.stack}\u0000${r.resource}`)).length;
  return { pricedResources: fully, unpricedResources: noPrice, unsupportedTypes, complete: noPrice === 0, regions };
}

function checkUsageKeys(u: UsageFile, known: Map<string, Set<string>>, warn: (m: string) => void): void {
  for (const [type, values] of u.typeDefaults) {
    const keys = known.get(type);
    if (!keys) continue;
    for (const k of values.keys()) if (!keys.has(k)) warn(`${u.file}: resource_type_default_usage.${type}.${k} is not a usage key of ${type} (known: ${[...keys].join(', ') || 'none'})`);
  }
  for (const [addr, values] of u.resourceUsage) {
    const bare = addr.includes('/') ? addr.slice(addr.indexOf('/') + 1) : addr;
    const type = bare.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)*/, '').split('.')[0];
    const keys = known.get(type);
    if (!keys) continue;
    for (const k of values.keys()) if (!keys.has(k)) warn(`${u.file}: resource_usage.${addr}.${k} is not a usage key of ${type} (known: ${[...keys].join(', ') || 'none'})`);
  }
}

/** Per-resource and total deltas, head minus base (resources in either side). */
export function diffCost(base: CostReport, head: CostReport): CostDiff {
  const key = (r: { stack: string; resource: string }) => `${r.stack}\u0000${r.resource}`;
  const b = new Map(base.resources.map((r) => [key(r), r]));
  const h = new Map(head.resources.map((r) => [key(r), r]));
  const keys = [...new Set([...b.keys(), ...h.keys()])];
  const resources = keys
    .map((k) => {
      const br = b.get(k);
      const hr = h.get(k);
      const baseMonthly = br?.monthly ?? 0;
      const monthly = hr?.monthly ?? 0;
      const any = (hr ?? br)!;
      return { resource: any.resource, stack: any.stack, baseMonthly, monthly, delta: round(monthly - baseMonthly) };
    })
    .filter((r) => r.delta !== 0 || !b.has(key(r)) || !h.has(key(r)))
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.resource.localeCompare(y.resource));
  return { baseMonthlyTotal: base.monthlyTotal, monthlyDelta: round(head.monthlyTotal - base.monthlyTotal), resources };
}
