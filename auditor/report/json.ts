/**
 * `--format json`: exactly the contract (auditor/report/contract.ts), one line. The contract fixes
 * fields, not whitespace: compact output is ~3× faster to build and about half the size of an
 * indented one on large configs (pipe it through `jq .` to read it).
 */
import type { Report } from './contract';

export function renderJson(report: Report): string {
  let text = '';
  for (const chunk of renderJsonChunks(report)) text += chunk;
  return text;
}

/**
 * The same text as `renderJson`, as the pieces it is made of (each section of the report, and of
 * its cost section, on its own). A writer that writes them one by one spares joining them into one
 * string first: once any piece holds a character outside Latin-1, the joined string is two-byte
 * throughout and costs more to build and to encode than the pieces (~80 vs ~45 ms at 24k resources).
 */
export function renderJsonChunks(report: Report): string[] {
  const out: string[] = [];
  stringifySections(report, 1, out);
  out.push('\n');
  return out;
}

/**
 * Exactly `JSON.stringify(value)` for a plain object, appended to `out` one property at a time down
 * to `depth` levels of nested plain objects (the report's sections, then the cost section's).
 *
 * Why: V8's JSON.stringify writes one-byte (Latin-1) text until it meets the first character
 * outside Latin-1 (a `—` in a quota note, a non-ASCII resource name) and writes everything after
 * it as two-byte text, about three times slower and twice the memory on a large report (a single
 * `—` early in the quotas made 110 ms of a 13 MB report instead of 35 ms). Each property
 * stringified on its own confines that to the property the character is in.
 */
function stringifySections(value: object, depth: number, out: string[]): void {
  out.push('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (depth > 0 && isPlainObject(v)) {
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      stringifySections(v, depth - 1, out);
    } else {
      const text = JSON.stringify(v);
      // Like JSON.stringify: undefined, functions and symbols leave the property out.
      if (text === undefined) continue;
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`, text);
    }
    first = false;
  }
  out.push('}');
}

/** A plain object (or a null-prototype one) without toJSON: JSON.stringify writes it `{…}`, key by key. */
function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}
