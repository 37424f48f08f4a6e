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
import { lowerCaseEquals } from '../../policies/lib/values';

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

function keysOf(path: string): readonly string[] {
  let keys = PATH_KEYS.get(path);
  if (keys === undefined) PATH_KEYS.set(path, (keys = path.split('.')));
  return keys;
}

export function valuesAt(values: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collectAt(values, keysOf(path), 0, out);
  return out;
}

/** An object (not an Unknown) that has `key` of its own: a step the dotted path can take. */
function stepsInto(item: unknown, key: string): item is Record<string, unknown> {
  return !!item && typeof item === 'object' && !(item instanceof Unknown) && Object.prototype.hasOwnProperty.call(item, key);
}

/*
 * The walkers below visit the values at keys[i..] depth first, children in order: the values
 * `valuesAt` lists, in its order (every value sits at the same depth), without building the
 * intermediate lists. At each step a value that is an array is searched item by item; at the end
 * an array value counts as its items.
 */

function collectAt(v: unknown, keys: readonly string[], i: number, out: unknown[]): void {
  if (i === keys.length) {
    if (Array.isArray(v)) for (let j = 0; j < v.length; j++) out.push(v[j]);
    else out.push(v);
    return;
  }
  const key = keys[i];
  if (Array.isArray(v)) {
    for (let j = 0; j < v.length; j++) {
      const item: unknown = v[j];
      if (stepsInto(item, key)) collectAt(item[key], keys, i + 1, out);
    }
  } else if (stepsInto(v, key)) collectAt(v[key], keys, i + 1, out);
}

/** Is any value at keys[i..] one of `c`'s scalars? */
function anyAt(v: unknown, keys: readonly string[], i: number, c: Condition): boolean {
  if (i === keys.length) {
    if (!Array.isArray(v)) return isOneOf(v, c);
    for (let j = 0; j < v.length; j++) if (isOneOf(v[j], c)) return true;
    return false;
  }
  const key = keys[i];
  if (!Array.isArray(v)) return stepsInto(v, key) && anyAt(v[key], keys, i + 1, c);
  for (let j = 0; j < v.length; j++) {
    const item: unknown = v[j];
    if (stepsInto(item, key) && anyAt(item[key], keys, i + 1, c)) return true;
  }
  return false;
}

/** The first non-empty string at keys[i..], in `valuesAt` order. */
function firstStringAt(v: unknown, keys: readonly string[], i: number): string | undefined {
  if (i === keys.length) {
    if (!Array.isArray(v)) return typeof v === 'string' && v !== '' ? v : undefined;
    for (let j = 0; j < v.length; j++) {
      const x: unknown = v[j];
      if (typeof x === 'string' && x !== '') return x;
    }
    return undefined;
  }
  const key = keys[i];
  if (!Array.isArray(v)) return stepsInto(v, key) ? firstStringAt(v[key], keys, i + 1) : undefined;
  for (let j = 0; j < v.length; j++) {
    const item: unknown = v[j];
    if (!stepsInto(item, key)) continue;
    const found = firstStringAt(item[key], keys, i + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

type Scalar = string | number | boolean;

/** One `where` / `whereNot` entry, prepared once per count rule: the path split, string scalars lower-cased. */
interface Condition {
  readonly keys: readonly string[];
  readonly scalars: readonly Scalar[];
  /** scalars[k] lower-cased when it is a string. */
  readonly lowered: readonly Scalar[];
}

/**
 * Does `a` (a value found in the input) equal one of the rule's scalars? Strings compare
 * case-insensitively; a string equals a boolean scalar written as `"true"` / `"false"`.
 */
function isOneOf(a: unknown, c: Condition): boolean {
  for (let k = 0; k < c.scalars.length; k++) {
    const b = c.scalars[k];
    if (typeof a === 'string') {
      if (typeof b === 'string') {
        if (a === b || lowerCaseEquals(a, c.lowered[k] as string)) return true;
      } else if (typeof b === 'boolean') {
        if (a === String(b)) return true;
      }
    } else if (a === b) return true;
  }
  return false;
}

type Conditions = { from: CountRule['where']; fromNot: CountRule['whereNot']; where: readonly Condition[]; whereNot: readonly Condition[] };
const CONDITIONS = new WeakMap<CountRule, Conditions>();

function prepare(entries: Record<string, readonly Scalar[]> | undefined): Condition[] {
  const out: Condition[] = [];
  if (!entries) return out;
  for (const [path, scalars] of Object.entries(entries)) {
    out.push({ keys: keysOf(path), scalars, lowered: scalars.map((b) => (typeof b === 'string' ? b.toLowerCase() : b)) });
  }
  return out;
}

function conditionsOf(rule: CountRule): Conditions {
  let c = CONDITIONS.get(rule);
  if (c === undefined || c.from !== rule.where || c.fromNot !== rule.whereNot) {
    CONDITIONS.set(rule, (c = { from: rule.where, fromNot: rule.whereNot, where: prepare(rule.where), whereNot: prepare(rule.whereNot) }));
  }
  return c;
}

/** Does the node's own values pass the rule's `where` and `whereNot` (type and mode checked by the caller)? */
function passes(node: ResourceNode, c: Conditions): boolean {
  for (let i = 0; i < c.where.length; i++) if (!anyAt(node.values, c.where[i].keys, 0, c.where[i])) return false;
  for (let i = 0; i < c.whereNot.length; i++) if (anyAt(node.values, c.whereNot[i].keys, 0, c.whereNot[i])) return false;
  return true;
}

export function matches(node: ResourceNode, rule: CountRule): boolean {
  if (node.type !== rule.type || node.mode !== 'managed') return false;
  return passes(node, conditionsOf(rule));
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

/**
 * The attribute a whole-reference value names: `${aws_codedeploy_app.a.name}` → `name`. Read by
 * hand rather than by a regular expression (/^\$\{[^{}]+\.([A-Za-z_][A-Za-z0-9_-]*)\}$/, the same
 * test) because it runs for every grouped node whose parent is a reference, and a match allocates.
 */
function wholeRefAttr(value: string): string | undefined {
  const end = value.length - 1;
  if (end < 4 || value.charCodeAt(0) !== 36 /* $ */ || value.charCodeAt(1) !== 123 /* { */ || value.charCodeAt(end) !== 125 /* } */) return undefined;
  const dot = value.lastIndexOf('.', end);
  // Something before the dot, and an identifier (not starting with a digit or `-`) after it.
  if (dot <= 2 || dot === end - 1) return undefined;
  for (let i = 2; i < dot; i++) {
    const c = value.charCodeAt(i);
    if (c === 123 || c === 125) return undefined;
  }
  for (let i = dot + 1; i < end; i++) {
    const c = value.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === dot + 1 || !((c >= 48 && c <= 57) || c === 45))) return undefined;
  }
  return value.slice(dot + 1, end);
}

/** A per-parent quota's parent: the key rows are told apart by, and the literal name when known. */
interface Group {
  readonly key: string;
  readonly value?: string;
}

/**
 * The parent a per-parent quota counts under, from the value at groupBy.path (`raw`, or the
 * default): that value, or — when it is a reference such as `${aws_codedeploy_app.a.name}` — the
 * referenced planned resource's literal value.
 */
function groupOf(model: ResourceModel, node: ResourceNode, groupBy: NonNullable<QuotaDef['groupBy']>, found: string | undefined): Group {
  let value = found ?? groupBy.default;
  if (value !== undefined && value.includes('${')) {
    const attr = wholeRefAttr(value);
    const target = attr ? model.resolve(node.stack, value, node) : undefined;
    const literal = target && attr ? target.values[attr] : undefined;
    value = typeof literal === 'string' && literal !== '' && !literal.includes('${') ? literal : undefined;
    if (value === undefined) return { key: `${groupBy.label}: ${found as string}` };
  }
  return { key: `${groupBy.label}: ${value ?? '(unknown)'}`, value };
}

/** Where a stack's resources count: its region (and whether that was assumed) and account. */
interface Place {
  readonly region: string;
  readonly regionAssumed: Demand['regionAssumed'];
  readonly accountId: string | undefined;
}

/**
 * One quota's demand as seen from one stack (and, for per-parent quotas, one parent), with the
 * resources that stack listed on it: found once per pair, so a node costs no key string and no
 * scan of the listed resources.
 */
interface Slot {
  readonly d: Demand;
  /** The first resource this stack listed on `d`, and the others by address. */
  first?: CountedResource;
  more?: Map<string, CountedResource>;
}

/** Count planned usage of every quota in the snapshot. Only quotas something counts towards get a Demand. */
export function countDemand(model: ResourceModel, quotas: readonly QuotaDef[], opts: CountOptions = {}): Demand[] {
  const counter = new DemandCounter(model, opts);
  for (const quota of quotas) {
    counter.begin(quota);
    for (const rule of quota.counts) counter.countAll(model.byType(rule.type), conditionsOf(rule));
  }
  return counter.demands;
}

/**
 * The counting state, kept in one object so that the work per node is a method call: countDemand
 * runs once per audit, and only code that runs once per node gets optimised.
 */
class DemandCounter {
  /** Rows keep the order in which their first node was met (quota by quota), as the report's ties rely on it. */
  readonly demands: Demand[] = [];
  /**
   * The current quota's demands: account → row region → parent key ('' when not per parent).
   * Nested maps rather than one map keyed by a joined string: no key string per demand.
   */
  private byPlace = new Map<string, Map<string, Map<string, Demand>>>();
  private readonly stacks: Map<string, StackInfo>;
  private readonly places = new Map<string, Place>();
  private quota!: QuotaDef;
  /** The current quota's slots: stack → slot (ungrouped quotas), or stack → parent key → slot. */
  private slots = new Map<string, Slot>();
  private groupSlots = new Map<string, Map<string, Slot>>();
  /** The current quota's slots by literal parent value: stack → value → slot (the same Slot objects as groupSlots). */
  private literalSlots = new Map<string, Map<string, Slot>>();

  constructor(
    private readonly model: ResourceModel,
    private readonly opts: CountOptions,
  ) {
    this.stacks = new Map<string, StackInfo>(model.stacks.map((s) => [s.name, s]));
  }

  begin(quota: QuotaDef): void {
    this.quota = quota;
    this.slots = new Map();
    this.groupSlots = new Map();
    this.literalSlots = new Map();
    this.byPlace = new Map();
  }

  /** Count the managed nodes (all of the rule's type) that pass the rule's conditions. */
  countAll(nodes: readonly ResourceNode[], conditions: Conditions): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.mode === 'managed' && passes(node, conditions)) this.count(node);
    }
  }

  private count(node: ResourceNode): void {
    const adds = creates(node);
    if (adds === undefined) return;
    const slot = this.slotOf(node);
    const d = slot.d;
    const n = Math.max(0, node.count);
    const unknownCount = (node as { countUnknown?: string }).countUnknown;
    if (unknownCount && adds) d.uncertain.push(`${node.stack}/${node.address}: ${unknownCount}`);
    if (!adds) {
      d.existing += n;
      return;
    }
    d.planned += n;
    // Plan instances (`aws_x.y[3]`) are listed under their block (`aws_x.y`).
    const address = (node as { blockAddress?: string }).blockAddress ?? node.address;
    const listed = slot.first !== undefined && slot.first.address === address ? slot.first : slot.more?.get(address);
    if (listed) listed.count += n;
    else if (d.resources.length < MAX_LISTED) {
      const r: CountedResource = { stack: node.stack, address, type: node.type, count: n };
      // Most demands list one resource: a list made with it holds one slot, a push onto `[]` seventeen.
      if (d.resources.length === 0) d.resources = [r];
      else d.resources.push(r);
      if (slot.first === undefined) slot.first = r;
      else (slot.more ??= new Map()).set(address, r);
    } else d.truncated = true;
  }

  private slotOf(node: ResourceNode): Slot {
    const quota = this.quota;
    let grouped: Group | undefined;
    let perGroup: Map<string, Slot> | undefined;
    let literal: string | undefined;
    if (quota.groupBy) {
      // A literal parent (`default`, a bus name) means the same slot on every node that gives it:
      // looked up by that value first, so those nodes make no key string.
      const found = firstStringAt(node.values, keysOf(quota.groupBy.path), 0);
      const raw = found ?? quota.groupBy.default;
      if (raw !== undefined && !raw.includes('${')) {
        literal = raw;
        const known = this.literalSlots.get(node.stack)?.get(raw);
        if (known !== undefined) return known;
      }
      grouped = groupOf(this.model, node, quota.groupBy, found);
      perGroup = this.groupSlots.get(node.stack);
      if (perGroup === undefined) this.groupSlots.set(node.stack, (perGroup = new Map()));
      const known = perGroup.get(grouped.key);
      if (known !== undefined) return this.rememberLiteral(node.stack, literal, known);
    } else {
      const known = this.slots.get(node.stack);
      if (known !== undefined) return known;
    }
    const place = this.placeOf(node.stack);
    const regional = quota.scope === 'region';
    const rowRegion = regional ? place.region : NON_REGIONAL;
    const apiRegion = regional ? place.region : quota.quotaRegion ?? DEFAULT_REGION;
    const group = grouped?.key;
    const accountId = place.accountId;
    let inAccount = this.byPlace.get(accountId ?? '');
    if (inAccount === undefined) this.byPlace.set(accountId ?? '', (inAccount = new Map()));
    let inRegion = inAccount.get(rowRegion);
    if (inRegion === undefined) inAccount.set(rowRegion, (inRegion = new Map()));
    let d = inRegion.get(group ?? '');
    if (!d) {
      // Every field set here, the optional ones too: one added later gives the object a second
      // (out-of-object) property store.
      d = { quota, accountId, region: rowRegion, apiRegion, group, groupValue: grouped?.value, planned: 0, existing: 0, resources: [], truncated: false, regionAssumed: undefined, uncertain: [] };
      inRegion.set(group ?? '', d);
      this.demands.push(d);
    }
    if (regional && place.regionAssumed && !d.regionAssumed) d.regionAssumed = place.regionAssumed;
    const slot: Slot = { d, first: undefined, more: undefined };
    if (perGroup !== undefined) {
      perGroup.set(group as string, slot);
      this.rememberLiteral(node.stack, literal, slot);
    } else this.slots.set(node.stack, slot);
    return slot;
  }

  private rememberLiteral(stack: string, literal: string | undefined, slot: Slot): Slot {
    if (literal === undefined) return slot;
    let byLiteral = this.literalSlots.get(stack);
    if (byLiteral === undefined) this.literalSlots.set(stack, (byLiteral = new Map()));
    byLiteral.set(literal, slot);
    return slot;
  }

  /** Where a stack's resources count, worked out once per stack. */
  private placeOf(name: string): Place {
    let place = this.places.get(name);
    if (place === undefined) {
      const stack = this.stacks.get(name);
      if (stack?.region) place = { region: stack.region, regionAssumed: undefined, accountId: stack.accountId };
      else if (this.opts.region) place = { region: this.opts.region, regionAssumed: 'option', accountId: stack?.accountId };
      else place = { region: DEFAULT_REGION, regionAssumed: 'default', accountId: stack?.accountId };
      this.places.set(name, place);
    }
    return place;
  }
}
