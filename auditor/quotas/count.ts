/**
 * Counting: how many instances of what the inputs plan to create land on each quota, grouped by
 * account and region (or account-wide / global), and by parent for per-parent quotas.
 *
 * - Every input audited together adds up (several stacks in one account and region share a quota).
 * - `count` / `for_each` are honoured through the model's instance count.
 * - From a plan only creations add: `create`, and the create half of `replace`. Updates and no-ops
 *   already exist (they are in current usage); deletes are not subtracted (an apply may create
 *   before it destroys).
 * - A config input (cdk.tf.json) has no actions: everything in it is taken as to be created.
 */
import type { ResourceModel, ResourceNode, StackInfo } from '../model/types';
import { Unknown } from '../model/types';
import type { CountRule, QuotaDef } from './snapshot';

export const DEFAULT_REGION = 'us-east-1';
/** The `region` shown for quotas that are not per region. */
export const NON_REGIONAL = 'global';
const MAX_LISTED = 20;

export interface CountedResource {
  stack: string;
  address: string;
  type: string;
  count: number;
}

/** Planned usage of one quota in one account / region / parent. */
export interface Demand {
  quota: QuotaDef;
  accountId?: string;
  /** Region the quota applies in (NON_REGIONAL for account-wide and global quotas). */
  region: string;
  /** Region to ask Service Quotas / CloudWatch in. */
  apiRegion: string;
  group?: string;
  /** The parent's literal name (`web`, `default`), when the input gives or references one; live list calls use it. */
  groupValue?: string;
  /** Instances the inputs will create. */
  planned: number;
  /** Plan instances that already exist (update / no-op): informative, counted in current usage. */
  existing: number;
  resources: CountedResource[];
  /** More resources counted than listed. */
  truncated: boolean;
  /** The region came from opts.region or the default, not from the input. */
  regionAssumed?: 'option' | 'default';
  /** Counted blocks whose count / for_each is not literal (each counted as 1): `stack/address: why`. */
  uncertain: string[];
}

export interface CountOptions {
  region?: string;
}

/** Values at a dotted path; nested blocks (arrays of objects, or single objects) are searched through. */
const PATH_KEYS = new Map<string, readonly string[]>();

export function valuesAt(values: unknown, path: string): unknown[] {
  let keys = PATH_KEYS.get(path);
  if (keys === undefined) PATH_KEYS.set(path, (keys = path.split('.')));
  let current: unknown[] = [values];
  for (const key of keys) {
    const next: unknown[] = [];
    for (const v of current) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item && typeof item === 'object' && !(item instanceof Unknown) && Object.prototype.hasOwnProperty.call(item, key)) {
          next.push((item as Record<string, unknown>)[key]);
        }
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function sameScalar(a: unknown, b: string | number | boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'string' && typeof b === 'boolean') return a === String(b);
  return a === b;
}

type Conditions = { from: CountRule['where']; fromNot: CountRule['whereNot']; where: [string, readonly (string | number | boolean)[]][]; whereNot: [string, readonly (string | number | boolean)[]][] };
const CONDITIONS = new WeakMap<CountRule, Conditions>();

export function matches(node: ResourceNode, rule: CountRule): boolean {
  if (node.type !== rule.type || node.mode !== 'managed') return false;
  let c = CONDITIONS.get(rule);
  if (c === undefined || c.from !== rule.where || c.fromNot !== rule.whereNot) {
    CONDITIONS.set(rule, (c = { from: rule.where, fromNot: rule.whereNot, where: Object.entries(rule.where ?? {}), whereNot: Object.entries(rule.whereNot ?? {}) }));
  }
  for (const [path, allowed] of c.where) {
    const found = valuesAt(node.values, path);
    if (!found.some((v) => allowed.some((a) => sameScalar(v, a)))) return false;
  }
  for (const [path, denied] of c.whereNot) {
    const found = valuesAt(node.values, path);
    if (found.some((v) => denied.some((a) => sameScalar(v, a)))) return false;
  }
  return true;
}

/** Whether a node adds to usage (true), already exists (false), or does not count at all (undefined). */
function creates(node: ResourceNode): boolean | undefined {
  switch (node.action) {
    case undefined:
    case 'create':
    case 'replace':
      return true;
    case 'update':
    case 'no-op':
      return false;
    default:
      return undefined; // delete, read
  }
}

const WHOLE_REF = /^\$\{[^{}]+\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;

/**
 * The parent a per-parent quota counts under: the value at groupBy.path, or — when that is a
 * reference such as `${aws_codedeploy_app.a.name}` — the referenced planned resource's literal value.
 */
function groupOf(model: ResourceModel, node: ResourceNode, quota: QuotaDef): { key: string; value?: string } | undefined {
  if (!quota.groupBy) return undefined;
  const found = valuesAt(node.values, quota.groupBy.path).find((v) => typeof v === 'string' && v !== '');
  let value = typeof found === 'string' ? found : quota.groupBy.default;
  if (value !== undefined && value.includes('${')) {
    const attr = WHOLE_REF.exec(value)?.[1];
    const target = attr ? model.resolve(node.stack, value, node) : undefined;
    const literal = target && attr ? target.values[attr] : undefined;
    value = typeof literal === 'string' && literal !== '' && !literal.includes('${') ? literal : undefined;
    if (value === undefined) return { key: `${quota.groupBy.label}: ${found as string}` };
  }
  return { key: `${quota.groupBy.label}: ${value ?? '(unknown)'}`, value };
}

/** Count planned usage of every quota in the snapshot. Only quotas something counts towards get a Demand. */
export function countDemand(model: ResourceModel, quotas: readonly QuotaDef[], opts: CountOptions = {}): Demand[] {
  const stacks = new Map<string, StackInfo>(model.stacks.map((s) => [s.name, s]));
  const demands = new Map<string, Demand>();
  for (const quota of quotas) {
    for (const rule of quota.counts) {
      for (const node of model.byType(rule.type)) {
        if (!matches(node, rule)) continue;
        const adds = creates(node);
        if (adds === undefined) continue;
        const stack = stacks.get(node.stack);
        let region: string;
        let regionAssumed: Demand['regionAssumed'];
        if (stack?.region) region = stack.region;
        else if (opts.region) (region = opts.region), (regionAssumed = 'option');
        else (region = DEFAULT_REGION), (regionAssumed = 'default');
        const regional = quota.scope === 'region';
        const rowRegion = regional ? region : NON_REGIONAL;
        const apiRegion = regional ? region : quota.quotaRegion ?? DEFAULT_REGION;
        const grouped = groupOf(model, node, quota);
        const group = grouped?.key;
        const accountId = stack?.accountId;
        const key = `${quota.id}\u0000${accountId ?? ''}\u0000${rowRegion}\u0000${group ?? ''}`;
        let d = demands.get(key);
        if (!d) {
          d = { quota, accountId, region: rowRegion, apiRegion, group, planned: 0, existing: 0, resources: [], truncated: false, uncertain: [] };
          if (grouped?.value !== undefined) d.groupValue = grouped.value;
          demands.set(key, d);
        }
        if (regional && regionAssumed && !d.regionAssumed) d.regionAssumed = regionAssumed;
        const n = Math.max(0, node.count);
        const unknownCount = (node as { countUnknown?: string }).countUnknown;
        if (unknownCount && adds) d.uncertain.push(`${node.stack}/${node.address}: ${unknownCount}`);
        if (adds) {
          d.planned += n;
          // Plan instances (`aws_x.y[3]`) are listed under their block (`aws_x.y`).
          const address = (node as { blockAddress?: string }).blockAddress ?? node.address;
          const listed = d.resources.find((r) => r.stack === node.stack && r.address === address);
          if (listed) listed.count += n;
          else if (d.resources.length < MAX_LISTED) d.resources.push({ stack: node.stack, address, type: node.type, count: n });
          else d.truncated = true;
        } else {
          d.existing += n;
        }
      }
    }
  }
  return [...demands.values()];
}
