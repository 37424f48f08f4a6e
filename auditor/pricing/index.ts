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
import type { ComponentRequest, CostCoverage, GantryCostReport, PricedComponent, PricedResource, PriceRow, PriceUsed, PricingContext, ResourcePricer, Snapshot } from './types';
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

  // Components left unpriced, per resource (`cost.unsupported`, after the unsupported types) and per region.
  const noPrice: GantryCostReport['unsupported'] = [];
  const gaps = new Map<string, RegionGap>();
  const unpriced = (r: PricedResource, components: string[], partly: boolean) => {
    const inSnapshot = snapshot.regions.includes(r.region);
    const reason = inSnapshot
      ? `no price for ${components.join(', ')} in the snapshot${opts.live ? ' or from the live API' : ' (try --live)'}`
      : `region ${r.region} is not in the price snapshot${opts.live ? ' and the live lookup failed' : '; use --live'} (${components.join(', ')})`;
    // Details stay in the JSON (cost.unsupported); the notes get one line per region (coverage, below).
    noPrice.push({ resource: r.resource, stack: r.stack, type: r.type, reason, cause: 'no-price', region: r.region, components });
    let g = gaps.get(r.region);
    if (!g) gaps.set(r.region, (g = { resources: 0, partly: 0, stacks: new Set(), components: new Set() }));
    g.resources++;
    if (partly) g.partly++;
    g.stacks.add(r.stack);
    for (const c of components) g.components.add(c);
  };

  // 1. Ask every pricer for its components (pure), and 3. price them; what could not be priced goes
  // to `unsupported` and is tallied per region. Offline, each resource is priced as soon as it is
  // asked for, so its requests are garbage at once instead of being kept (and copied by every
  // scavenge) until all are asked; under --live they are kept until 2. has fetched their rows.
  const fallbackRegion = opts.region ?? DEFAULT_REGION;
  let asked: Asked;
  let book: PriceBook;
  let pricing: Pricing;
  if (!opts.live) {
    book = new PriceBook(rows, new Map());
    pricing = new Pricing(book, unpriced);
    asked = collect(model, fallbackRegion, usageFile, warn, pricing);
  } else {
    const kept: { node: ResourceNode; region: string; requests: readonly ComponentRequest[] }[] = [];
    asked = collect(model, fallbackRegion, usageFile, warn, { price: (node, region, requests) => kept.push({ node, region, requests }) });
    // 2. Under --live, ask the Price List API for every (region, price id) needed (falling back to the snapshot).
    let live = new Map<string, PriceRow>();
    const needed = new Map<string, LiveRequest>();
    const seen = new Map<string, Set<string>>(); // region → price ids already considered
    for (const { region, requests } of kept) {
      let ids = seen.get(region);
      if (!ids) seen.set(region, (ids = new Set()));
      for (const q of requests) {
        if (ids.has(q.priceId)) continue;
        ids.add(q.priceId);
        const key = `${region}/${q.priceId}`;
        if (needed.has(key)) continue;
        const template = rows.get(key) ?? rows.get(`${DEFAULT_REGION}/${q.priceId}`) ?? snapshot.rows.find((x) => x.id === q.priceId);
        if (template) needed.set(key, { id: q.priceId, region, template });
      }
    }
    if (needed.size > 0) {
      const { fetchLiveRows } = require('./live') as typeof import('./live');
      live = await fetchLiveRows([...needed.values()], { client: opts.pricingClient, cacheFile: opts.cacheFile, today, warn, freeTier: snapshot.freeTier });
    }
    book = new PriceBook(rows, live);
    pricing = new Pricing(book, unpriced);
    for (const { node, region, requests } of kept) pricing.price(node, region, requests);
  }
  const { unsupported } = asked;
  for (let i = 0; i < noPrice.length; i++) unsupported.push(noPrice[i]);
  const { resources, partlyPriced } = pricing;

  // 4. Sorted (stack, address), then the free tier, once per account, after summing.
  resources.sort(byStackAndAddress);
  const offers = opts.freeTier
    ? applyFreeTier(resources, snapshot.freeTier, (r, c, q) => {
        const row = book.resolve(r.region, c.priceId);
        return row ? tieredCost(row.tiers, q) : c.unitPrice * q;
      })
    : [];

  let monthlyTotal = 0;
  for (let i = 0; i < resources.length; i++) monthlyTotal += resources[i].monthly;
  const { requested } = asked;
  const coverage = coverageOf(gaps, requested, resources, partlyPriced, unsupported, snapshot, opts.live);
  for (const g of coverage.regions) if (g.note) warn(g.note);
  const regions = [...requested.keys()];
  const primary = regions.length === 0 ? fallbackRegion : [...requested.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return {
    currency: 'USD',
    monthlyTotal: round(monthlyTotal),
    pricing: {
      source: book.anyLive ? 'aws-pricing-api' : 'snapshot',
      asOf: book.anyLive ? today : book.earliest ?? snapshot.asOf,
      region: primary,
      regions: regions.length === 0 ? [fallbackRegion] : regions,
    },
    prices: book.prices,
    coverage,
    resources,
    unsupported,
    free: asked.free,
    freeTier: { applied: opts.freeTier, offers },
    usageFile: usageFile?.file ?? null,
    warnings,
    diff: null,
  };
}

/** What step 1 found besides the requests: resources without a pricer, and the regions asked for. */
interface Asked {
  unsupported: GantryCostReport['unsupported'];
  free: NonNullable<GantryCostReport['free']>;
  /** Regions the input asks for (priceable resources per region, first-seen order): the report's region is the main one. */
  requested: Map<string, number>;
}

/** Where step 1 hands each priceable node's requests: `Pricing` itself offline, a list under --live. */
interface RequestSink {
  price(node: ResourceNode, region: string, requests: readonly ComponentRequest[]): void;
}

/** Step 1: every priceable node to its pricer, and its requests to `sink` (or the node to `free` / `unsupported` when it has no pricer). */
function collect(model: ResourceModel, fallbackRegion: string, usageFile: UsageFile | undefined, warn: (m: string) => void, sink: RequestSink): Asked {
  const asked: Asked = { unsupported: [], free: [], requested: new Map() };
  const { requested } = asked;
  const regionOf = new Map(model.stacks.map((s) => [s.name, s.region]));
  const knownKeys = new Map<string, Set<string>>();
  // Pricers are pure and keep nothing, so one context serves every resource (only its usage changes).
  const ctx: PricingContext = { model, usage: NO_USAGE, warn };
  // Resources come grouped by stack and by type: the stack's region and the type's pricer (or reason
  // to be free) are looked up again only when they change, and the count per region added up per run.
  let stack: string | undefined;
  let region = fallbackRegion;
  let inRegion = 0;
  let type: string | undefined;
  let pricer: ResourcePricer | undefined;
  let freeReason: string | undefined;
  const all = model.resources;
  for (let i = 0; i < all.length; i++) {
    const node = all[i];
    if (!priceable(node)) continue;
    if (node.stack !== stack) {
      if (inRegion > 0) requested.set(region, (requested.get(region) ?? 0) + inRegion);
      stack = node.stack;
      region = regionOf.get(stack) ?? fallbackRegion;
      // First seen order: the region is listed when its first resource is.
      if (!requested.has(region)) requested.set(region, 0);
      inRegion = 0;
    }
    inRegion++;
    if (node.type !== type) {
      type = node.type;
      pricer = PRICER_BY_TYPE.get(type);
      freeReason = pricer ? undefined : FREE_TYPES.get(type);
    }
    if (!pricer) {
      if (freeReason) asked.free.push({ resource: node.address, stack: node.stack, type: node.type, reason: freeReason });
      else asked.unsupported.push({ resource: node.address, stack: node.stack, type: node.type, reason: 'no pricing for this resource type', cause: 'unsupported-type', region });
      continue;
    }
    if (usageFile && !knownKeys.has(node.type)) knownKeys.set(node.type, new Set(pricer.usage.map((u) => u.key)));
    ctx.usage = usageFor(usageFile, node);
    sink.price(node, region, pricer.components(node, ctx));
  }
  if (inRegion > 0) requested.set(region, (requested.get(region) ?? 0) + inRegion);
  if (usageFile) checkUsageKeys(usageFile, knownKeys, warn);
  return asked;
}

/**
 * The price rows of one run: each (region, price id) looked up once (live row first, then the
 * snapshot's), and the rows found, with where they came from, as the report's `cost.prices`.
 */
class PriceBook {
  readonly prices: GantryCostReport['prices'] = Object.create(null);
  anyLive = false;
  earliest: string | undefined;
  private readonly resolved = new Map<string, Map<string, PriceRow | null>>();
  // The last region asked about and its rows: consecutive resources are nearly always in the same region.
  private lastRegion: string | undefined;
  private lastById = new Map<string, PriceRow | null>();

  constructor(
    private readonly rows: ReadonlyMap<string, PriceRow>,
    private readonly live: ReadonlyMap<string, PriceRow>,
  ) {}

  resolve(region: string, priceId: string): PriceRow | null {
    let byId = this.lastById;
    if (region !== this.lastRegion) {
      byId = this.resolved.get(region) ?? new Map();
      this.resolved.set(region, byId);
      this.lastRegion = region;
      this.lastById = byId;
    }
    let row = byId.get(priceId);
    if (row === undefined) {
      const key = `${region}/${priceId}`;
      const liveRow = this.live.get(key);
      byId.set(priceId, (row = liveRow ?? this.rows.get(key) ?? null));
      // Every row found prices a component of a resource that stays in the report.
      if (row) this.record(region, row, liveRow !== undefined);
    }
    return row;
  }

  private record(region: string, row: PriceRow, live: boolean): void {
    if (live) this.anyLive = true;
    if (this.earliest === undefined || row.asOf < this.earliest) this.earliest = row.asOf;
    const inRegion: Record<string, PriceUsed> = (this.prices[region] ??= Object.create(null));
    inRegion[row.id] = { description: row.description, priceSource: live ? 'aws-pricing-api' : 'snapshot', source: row.source, asOf: row.asOf };
  }
}

/**
 * Step 3: one priced resource per node with at least one priced component, built once in its
 * final shape, in the order asked. `unpriced` hears of each resource with components left
 * unpriced (`partly`: some were priced).
 */
class Pricing implements RequestSink {
  readonly resources: PricedResource[] = [];
  partlyPriced = 0;
  // Resources of a type mostly ask for the same components (every default usage, every value left as
  // is): one component object per distinct price row, name, quantity and `estimated`, shared by the
  // resources that have it (applyFreeTier copies one before it changes it).
  private readonly made = new Map<PriceRow, Map<string, { quantity: number; estimated: boolean; component: PricedComponent }>>();
  // The components list of the resource priced last, shared by the next one when it has the same
  // components (resources come grouped by type: at 24k resources, a few dozen lists instead of one
  // array per resource; applyFreeTier copies a list before it changes it, too).
  private last: PricedComponent[] = [];
  // This resource's components, gathered until they differ from `last` (never shrunk: `length = 0`
  // would drop its storage and make every resource allocate it again).
  private readonly scratch: PricedComponent[] = [];

  constructor(
    private readonly book: PriceBook,
    private readonly unpriced: (r: PricedResource, components: string[], partly: boolean) => void,
  ) {}

  price(node: ResourceNode, region: string, reqs: readonly ComponentRequest[]): void {
    const { scratch, made, last } = this;
    let missing: string[] | undefined;
    let monthly = 0;
    let n = 0;
    let sameAsLast = true;
    for (let k = 0; k < reqs.length; k++) {
      const q = reqs[k];
      const row = this.book.resolve(region, q.priceId);
      if (!row) {
        (missing ??= []).push(q.name);
        continue;
      }
      const quantity = q.quantity * node.count;
      const estimated = q.estimated === true;
      let byName = made.get(row);
      if (!byName) made.set(row, (byName = new Map()));
      const same = byName.get(q.name);
      let c: PricedComponent;
      if (same !== undefined && same.quantity === quantity && same.estimated === estimated) {
        c = same.component;
      } else {
        const gross = round(quantity);
        const cost = round(tieredCost(row.tiers, quantity));
        // `estimated` is written only when true; two literals give each kind its full layout at once.
        c = estimated
          ? { name: q.name, unit: row.unit, quantity: gross, unitPrice: row.unitPrice, monthly: cost, priceId: row.id, estimated: true }
          : { name: q.name, unit: row.unit, quantity: gross, unitPrice: row.unitPrice, monthly: cost, priceId: row.id };
        byName.set(q.name, { quantity, estimated, component: c });
      }
      if (sameAsLast && (n >= last.length || last[n] !== c)) sameAsLast = false;
      scratch[n++] = c;
      monthly += c.monthly;
    }
    let components = last;
    if (!sameAsLast || n !== last.length) this.last = components = scratch.slice(0, n);
    const r: PricedResource = { resource: node.address, stack: node.stack, type: node.type, region, count: node.count, monthly: round(monthly), components };
    if (missing) {
      this.unpriced(r, missing, n > 0);
      if (n === 0) return;
      this.partlyPriced++;
    }
    this.resources.push(r);
  }
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
