/**
 * Reading resource values the way Terraform means them. Pure helpers shared by the rules.
 *
 * Values come from `*.tf.json` (CDKTF writes a block that holds at most one item as an object,
 * others as arrays) or from a plan (every nested block is an array). A value Terraform only
 * knows after apply is an `Unknown`; a reference to something else is the string `${…}`.
 *
 * Speed notes for the rules and these helpers: each rule runs once per audit, so its own loop
 * seldom gets V8's optimising compiler and runs in the lower tiers, where `for…of` over an array
 * allocates a result object per step and a closure that captures a variable makes the enclosing
 * call allocate a context. Per-resource work therefore lives in small functions (called once per
 * resource, they get optimised), loops over arrays are indexed, and lists are read in place
 * (`blockItems`) rather than copied.
 */
import { Unknown } from '../../auditor/model/types';

export type Obj = Record<string, unknown>;

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** A string holding a Terraform expression (`${aws_kms_key.k.arn}`, `${var.x}`). */
export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && v.includes('${');
}

/** True when the value is not known at plan time: an `Unknown`, or an expression. */
export function isDeferred(v: unknown): boolean {
  return isUnknown(v) || isExpression(v);
}

/** The items of a nested block, whether written as one object or as an array of objects. */
export function blocks(v: unknown): Obj[] {
  if (!Array.isArray(v)) return isObj(v) ? [v] : [];
  // Counted first, so the list is made at its final size (nearly always a copy of the whole array).
  const n = blockCount(v);
  if (n === v.length) return v.slice() as Obj[];
  const out: Obj[] = new Array(n);
  for (let i = 0, j = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (isObj(item)) out[j++] = item;
  }
  return out;
}

/**
 * The items of a nested block, to read only: the array itself when every item is an object (the
 * usual case, so nothing is copied), else what `blocks` lists.
 */
export function blockItems(v: unknown): readonly Obj[] {
  if (!Array.isArray(v)) return isObj(v) ? [v] : NO_BLOCKS;
  return blockCount(v) === v.length ? (v as Obj[]) : blocks(v);
}
const NO_BLOCKS: readonly Obj[] = Object.freeze([]);

/** The first item of a nested block (most blocks allow one). */
export function block(v: unknown): Obj | undefined {
  if (!Array.isArray(v)) return isObj(v) ? v : undefined;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (isObj(item)) return item;
  }
  return undefined;
}

/** How many items a nested block has: `blocks(v).length` without building the list. */
export function blockCount(v: unknown): number {
  if (!Array.isArray(v)) return isObj(v) ? 1 : 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) if (isObj(v[i])) n++;
  return n;
}

/**
 * `a.toLowerCase() === lower` for a `lower` already in lower case, without building the copy
 * while `a` is ASCII (its lower case is then as long as it is, one character for one);
 * otherwise Unicode's own mapping decides.
 */
export function lowerCaseEquals(a: string, lower: string): boolean {
  const n = a.length;
  if (n !== lower.length) {
    for (let i = 0; i < n; i++) if (a.charCodeAt(i) >= 128) return a.toLowerCase() === lower;
    return false;
  }
  for (let i = 0; i < n; i++) {
    let ch = a.charCodeAt(i);
    if (ch >= 128) return a.toLowerCase() === lower;
    if (ch >= 65 && ch <= 90) ch += 32;
    if (ch !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A literal (non-expression) string, or undefined. */
export function literal(v: unknown): string | undefined {
  return typeof v === 'string' && !v.includes('${') ? v : undefined;
}

// Regular expressions are module constants here: a literal in a function makes a RegExp per call.
const UNSET_REASON = /not set|unset|not configured/i;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * An `Unknown` the loader marked as an attribute the configuration does not set, which the provider
 * computes (plans list those as unknown too): for rules that is the same as absent.
 */
export function isUnsetUnknown(v: unknown): boolean {
  return v instanceof Unknown && UNSET_REASON.test(v.reason);
}

/** Absent: undefined, null, the empty string, or unset-and-computed. Other unknown values and expressions are present. */
export function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || isUnsetUnknown(v);
}

/**
 * A boolean attribute: `true` / `false` (also Terraform's string forms), `dflt` when absent,
 * `'unknown'` when only known after apply or given by an expression.
 */
export function flag(v: unknown, dflt: boolean): boolean | 'unknown' {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  if (v === undefined || v === null || isUnsetUnknown(v)) return dflt;
  return 'unknown';
}

/** A number attribute, `undefined` when absent, `'unknown'` when deferred or not a number. */
export function num(v: unknown): number | undefined | 'unknown' {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMBER_TEXT.test(v.trim())) return Number(v);
  return 'unknown';
}

/** `strings(v).includes(s)` without building the list. */
export function hasString(v: unknown, s: string): boolean {
  return Array.isArray(v) ? v.includes(s) : v === s;
}

/** The literal strings of a list attribute (expressions and unknowns left out). */
export function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/**
 * Parse a JSON document held in a string attribute (`content`, `policy`). Returns undefined for
 * expressions (`${jsonencode(…)}`), unknowns and malformed text — the caller decides what that means.
 */
export function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return isObj(v) ? v : undefined;
  const s = v.trim();
  if (!s.startsWith('{') && !s.startsWith('[')) return undefined;
  try {
    return JSON.parse(s, (k, val) => (k === '__proto__' ? undefined : val));
  } catch {
    return undefined;
  }
}
