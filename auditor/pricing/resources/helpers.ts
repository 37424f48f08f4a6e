/** Small helpers shared by the resource pricers (reading Terraform values and usage). */
import type { ComponentRequest, PricingContext, UsageKeySpec } from '../types';

/** First object of a nested block (`environment[0]`), or the object itself. */
export function block(values: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const v = values[name];
  if (Array.isArray(v)) return typeof v[0] === 'object' && v[0] !== null ? (v[0] as Record<string, unknown>) : undefined;
  if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  return undefined;
}

/**
 * The items of a nested block, to read only: the array itself when every item is an object (the
 * usual case: pricers run for every resource, so nothing is copied), else a list of its objects.
 */
export function blocks(values: Record<string, unknown>, name: string): readonly Record<string, unknown>[] {
  const v = values[name];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isBlock(v[i])) return v.filter(isBlock);
    return v as Record<string, unknown>[];
  }
  if (isBlock(v)) return [v];
  return NO_BLOCKS;
}
const NO_BLOCKS: readonly Record<string, unknown>[] = Object.freeze([]);

/** How many items a nested block has: `blocks(values, name).length` without a list. */
export function blockCount(values: Record<string, unknown>, name: string): number {
  const v = values[name];
  if (!Array.isArray(v)) return isBlock(v) ? 1 : 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) if (isBlock(v[i])) n++;
  return n;
}

function isBlock(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A usage value, or the documented default (then `estimated`). */
export function usage(ctx: PricingContext, spec: readonly UsageKeySpec[], key: string): { value: number; estimated: boolean } {
  const v = ctx.usage.get(key);
  return v !== undefined ? { value: v, estimated: false } : { value: defaultOf(spec, key), estimated: true };
}

function defaultOf(spec: readonly UsageKeySpec[], key: string): number {
  // A plain loop: this runs for every usage key of every priced resource.
  for (let i = 0; i < spec.length; i++) if (spec[i].key === key) return spec[i].default;
  throw new Error(`pricing bug: usage key ${key} is not declared`);
}

/** Shorthand for a component whose quantity is one usage key, scaled to the row's unit. */
export function fromUsage(ctx: PricingContext, spec: readonly UsageKeySpec[], key: string, name: string, priceId: string, scale = 1): ComponentRequest {
  // The request straight from the value (no `usage` result in between: this runs for most components).
  const v = ctx.usage.get(key);
  return v !== undefined ? { name, priceId, quantity: v * scale, estimated: false } : { name, priceId, quantity: defaultOf(spec, key) * scale, estimated: true };
}

export const HOURS_PER_MONTH = 730;

/**
 * A string built from one value (a component name, a price id), made once per distinct value and
 * then shared: pricers run for every resource, and resources of a type nearly always get the same
 * names, so the report holds one copy instead of one per resource. The values come from the input,
 * so what is kept is bounded (cleared when it grows past `max`).
 */
export function shared<K>(make: (key: K) => string, max = 1000): (key: K) => string {
  const made = new Map<K, string>();
  return (key: K) => {
    let s = made.get(key);
    if (s === undefined) {
      if (made.size >= max) made.clear();
      made.set(key, (s = make(key)));
    }
    return s;
  };
}
