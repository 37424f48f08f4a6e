/**
 * Cost estimation: the resource model + the price snapshot (or live prices) + a usage file →
 * the report's `cost` section. Every component names the price row it used (`priceId`); where
 * each row came from and when it was read is said once, in `cost.prices`; free tiers are applied
 * once per account after summing.
 */
import type { CostDiff, CostReport } from '../report/contract';
import type { ResourceModel, ResourceNode } from '../model/types';
import { applyFreeTier, byStackAndAddress, round } from './free-tier';
// ./live loads the AWS SDK pricing client: required only under --live.
import type { LiveRequest } from './live';
import { FREE_TYPES, PRICER_BY_TYPE } from './resources';
import { indexRows, loadSnapshot, tieredCost } from './snapshot';
import type { ComponentRequest, CostCoverage, GantryCostReport, PricedComponent, PricedResource, PriceRow, PriceUsed, PricingContext, Snapshot } from './types';
import { loadUsage, NO_USAGE, usageFor, type UsageFile } from './usage';
import type { PricingClient } from '@aws-sdk/client-pricing';

export type { GantryCostReport, PricedComponent, PricedResource, PriceUsed } from './types';
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

  // 1. Ask every pricer for its components (pure). Each priced resource's entry is made here in
  //    its final shape (components filled in step 3); `requests[i]` holds what entry i asked for.
  const entries: PricedResource[] = [];
  const requests: ComponentRequest[][] = [];
  const unsupported: GantryCostReport['unsupported'] = [];
  const free: NonNullable<GantryCostReport['free']> = [];
  const knownKeys = new Map<string, Set<string>>();
  // Regions the input asks for (priceable resources per region, first-seen order): the report's region is the main one.
  const requested = new Map<string, number>();
  // Pricers are pure and keep nothing, so one context serves every resource (only its usage changes).
  const ctx: PricingContext = { model, usage: NO_USAGE, warn };
  // The stack's region, looked up again only when the stack changes (resources come grouped by stack).
  let stack: string | undefined;
  let region = fallbackRegion;
  for (const node of model.resources) {
    if (!priceable(node)) continue;
    if (node.stack !== stack) {
      stack = node.stack;
      region = regionOf.get(stack) ?? fallbackRegion;
    }
    requested.set(region, (requested.get(region) ?? 0) + 1);
    const pricer = PRICER_BY_TYPE.get(node.type);
    if (!pricer) {
      const reason = FREE_TYPES.get(node.type);
      if (reason) free.push({ resource: node.address, stack: node.stack, type: node.type, reason });
      else unsupported.push({ resource: node.address, stack: node.stack, type: node.type, reason: 'no pricing for this resource type', cause: 'unsupported-type', region });
      continue;
    }
    if (usageFile && !knownKeys.has(node.type)) knownKeys.set(node.type, new Set(pricer.usage.map((u) => u.key)));
    ctx.usage = usageFor(usageFile, node);
    requests.push(pricer.components(node, ctx));
    entries.push({ resource: node.address, stack: node.stack, type: node.type, region, count: node.count, monthly: 0, components: [] });
  }
  if (usageFile) checkUsageKeys(usageFile, knownKeys, warn);

  // 2. Under --live, ask the Price List API for every (region, price id) needed (falling back to the snapshot).
  let live = new Map<string, PriceRow>();
  if (opts.live) {
    const needed = new Map<string, LiveRequest>();
    const seen = new Map<string, Set<string>>(); // region → price ids already considered
    for (let i = 0; i < entries.length; i++) {
      const r = entries[i];
      let ids = seen.get(r.region);
      if (!ids) seen.set(r.region, (ids = new Set()));
      for (const q of requests[i]) {
        if (ids.has(q.priceId)) continue;
        ids.add(q.priceId);
        const key = `${r.region}/${q.priceId}`;
        if (needed.has(key)) continue;
        const template = rows.get(key) ?? rows.get(`${DEFAULT_REGION}/${q.priceId}`) ?? snapshot.rows.find((x) => x.id === q.priceId);
        if (template) needed.set(key, { id: q.priceId, region: r.region, template });
      }
    }
    if (needed.size > 0) {
      const { fetchLiveRows } = require('./live') as typeof import('./live');
      live = await fetchLiveRows([...needed.values()], { client: opts.pricingClient, cacheFile: opts.cacheFile, today, warn, freeTier: snapshot.freeTier });
    }
  }

  // 3. Price the components; what could not be priced is tallied per region for one note each.
  const gaps = new Map<string, RegionGap>();
  const noteUnpriced = (region: string, node: PricedResource, components: string[], partly: boolean) => {
    let g = gaps.get(region);
    if (!g) gaps.set(region, (g = { resources: 0, partly: 0, stacks: new Set(), components: new Set() }));
    g.resources++;
    if (partly) g.partly++;
    g.stacks.add(node.stack);
    for (const c of components) g.components.add(c);
  };
  // Each (region, price id) is looked up once; the rows used, with where they came from, make `cost.prices`.
  const prices: GantryCostReport['prices'] = Object.create(null);
  const resolved = new Map<string, Map<string, PriceRow | null>>();
  let anyLive = false;
  let earliest: string | undefined;
  const resolve = (region: string, priceId: string): PriceRow | null => {
    let byId = resolved.get(region);
    if (!byId) resolved.set(region, (byId = new Map()));
    let row = byId.get(priceId);
    if (row === undefined) {
      const key = `${region}/${priceId}`;
      const liveRow = live.get(key);
      byId.set(priceId, (row = liveRow ?? rows.get(key) ?? null));
      if (row) {
        // Every row resolved is used by a component of a resource that stays in the report.
        if (liveRow) anyLive = true;
        if (earliest === undefined || row.asOf < earliest) earliest = row.asOf;
        const inRegion: Record<string, PriceUsed> = (prices[region] ??= Object.create(null));
        inRegion[row.id] = { description: row.description, priceSource: liveRow ? 'aws-pricing-api' : 'snapshot', source: row.source, asOf: row.asOf };
      }
    }
    return row;
  };
  const resources: PricedResource[] = [];
  let partlyPriced = 0;
  for (let i = 0; i < entries.length; i++) {
    const r = entries[i];
    const components = r.components;
    let unpriced: string[] | undefined;
    let monthly = 0;
    for (const q of requests[i]) {
      const row = resolve(r.region, q.priceId);
      if (!row) {
        (unpriced ??= []).push(q.name);
        continue;
      }
      const quantity = q.quantity * r.count;
      const c: PricedComponent = {
        name: q.name,
        unit: row.unit,
        quantity: round(quantity),
        unitPrice: row.unitPrice,
        monthly: round(tieredCost(row.tiers, quantity)),
        priceId: row.id,
      };
      if (q.estimated) c.estimated = true;
      components.push(c);
      monthly += c.monthly;
    }
    if (unpriced) {
      const inSnapshot = snapshot.regions.includes(r.region);
      const reason = inSnapshot
        ? `no price for ${unpriced.join(', ')} in the snapshot${opts.live ? ' or from the live API' : ' (try --live)'}`
        : `region ${r.region} is not in the price snapshot${opts.live ? ' and the live lookup failed' : '; use --live'} (${unpriced.join(', ')})`;
      // Details stay in the JSON (cost.unsupported); the notes get one line per region (below).
      unsupported.push({ resource: r.resource, stack: r.stack, type: r.type, reason, cause: 'no-price', region: r.region, components: unpriced });
      noteUnpriced(r.region, r, unpriced, components.length > 0);
      if (components.length === 0) continue;
      partlyPriced++;
    }
    r.monthly = round(monthly);
    resources.push(r);
  }

  // 4. Sorted (stack, address), then the free tier, once per account, after summing.
  resources.sort(byStackAndAddress);
  const offers = opts.freeTier
    ? applyFreeTier(resources, snapshot.freeTier, (r, c, q) => {
        const row = resolve(r.region, c.priceId);
        return row ? tieredCost(row.tiers, q) : c.unitPrice * q;
      })
    : [];

  let monthlyTotal = 0;
  for (const r of resources) monthlyTotal += r.monthly;
  const coverage = coverageOf(gaps, requested, resources, partlyPriced, unsupported, snapshot, opts.live);
  for (const g of coverage.regions) if (g.note) warn(g.note);
  const regions = [...requested.keys()];
  const primary = regions.length === 0 ? fallbackRegion : [...requested.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return {
    currency: 'USD',
    monthlyTotal: round(monthlyTotal),
    pricing: {
      source: anyLive ? 'aws-pricing-api' : 'snapshot',
      asOf: anyLive ? today : earliest ?? snapshot.asOf,
      region: primary,
      regions: regions.length === 0 ? [fallbackRegion] : regions,
    },
    prices,
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
  partlyPriced: number,
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
  // Fully priced: the priced resources less those also listed as partly unpriced (by stack and address,
  // so two resources sharing an address count together); nothing to look up when none was.
  let fully = resources.length;
  if (partlyPriced > 0) {
    const partial = new Set(unsupported.filter((u) => u.cause === 'no-price').map((u) => `${u.stack}\u0000${u.resource}`));
    fully = resources.filter((r) => !partial.has(`${r.stack}\u0000${r.resource}`)).length;
  }
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
