/**
 * Defences for untrusted input: bounded nesting, prototype-free copies, and type checks that
 * turn every malformed shape into a one-line UserError naming the file and the problem.
 */
import { UserError } from '../errors';

export const DEFAULT_MAX_DEPTH = 256;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/**
 * Measure the nesting depth of a JSON text without parsing it (no recursion, one pass), so a
 * 200,000-deep document is refused before anything recursive touches it.
 */
export function jsonTextDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Jump to the closing quote (a native search): one not preceded by an odd run of backslashes.
      let j = text.indexOf('"', i + 1);
      while (j > 0) {
        let k = j - 1;
        while (text.charCodeAt(k) === 92 /* \ */) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) return max; // unterminated string: nothing after it is structure
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Make parsed JSON prototype-free, refusing nesting deeper than `maxDepth` before going any
 * deeper (the recursion is bounded: it is the depth check). `copy` leaves the input untouched
 * (for programmatic callers); otherwise the freshly parsed tree is changed in place, which keeps
 * V8's fast object layout (Object.create(null) objects start in slow dictionary mode).
 * Keys are never assigned through a prototype, so `__proto__` stays an ordinary own key.
 */
export function sanitise(value: unknown, file: string, maxDepth: number = DEFAULT_MAX_DEPTH, copy = false): unknown {
  const tooDeep = () => new UserError(file, `nesting deeper than ${maxDepth} levels; refusing to read it`);
  const copied = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) throw tooDeep();
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = copied(v[i], depth + 1);
      return out;
    }
    const out = {} as Obj;
    Object.setPrototypeOf(out, null);
    for (const k of Object.keys(v)) out[k] = copied((v as Obj)[k], depth + 1);
    return out;
  };
  if (copy) return copied(value, 0);
  if (value !== null && typeof value === 'object' && !sanitiseInPlace(value, 0, maxDepth)) throw tooDeep();
  return value;
}

/**
 * The in-place walk of `sanitise`: false as soon as an object or array sits `maxDepth` levels
 * down (the caller says so). Only objects are recursed into: this walk visits every value of the
 * input, and most are strings and numbers.
 */
function sanitiseInPlace(v: object, depth: number, maxDepth: number): boolean {
  if (depth >= maxDepth) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && !sanitiseInPlace(x, depth + 1, maxDepth)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(v) !== null) Object.setPrototypeOf(v, null);
  for (const k in v) {
    const x = (v as Obj)[k];
    if (x !== null && typeof x === 'object' && !sanitiseInPlace(x, depth + 1, maxDepth)) return false;
  }
  return true;
}

/** A fast-layout object with no prototype. */
export function bareObject(): Obj {
  const o = {} as Obj;
  Object.setPrototypeOf(o, null);
  return o;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
