/**
 * `--format json`: exactly the contract (auditor/report/contract.ts), one line. The contract fixes
 * fields, not whitespace: compact output is ~3× faster to build and about half the size of an
 * indented one on large configs (pipe it through `jq .` to read it).
 */
import type { Report } from './contract';

export function renderJson(report: Report): string {
  // Long lists whole: slicing them pays only when the pieces are written one by one (see below).
  let text = '';
  for (const chunk of stringifySections(report, 1, false)) text += chunk;
  return `${text}\n`;
}

/**
 * The same text as `renderJson`, as the pieces it is made of, made one at a time while a writer
 * writes them (`for (const piece of jsonPieces(report)) write(piece)`): each section of the
 * report, and of its cost section, on its own, and long lists in slices of ~16 KB.
 * - Never joined: once any piece holds a character outside Latin-1, a joined string is two-byte
 *   throughout and costs more to build and to encode than the pieces (~80 vs ~45 ms at 24k resources).
 * - Small and short-lived: V8 builds JSON text as a chain of parts that a writer flattens before
 *   encoding it. A 5 MB piece (the cost section's resources at 24k) is flattened and encoded into
 *   fresh memory (~2,000 page faults for the whole report); 16 KB pieces, each written before the
 *   next is made, are garbage by the next young-generation collection, which reuses their memory
 *   instead of copying them. (Kept all at once, 11 MB of slices would be copied by every
 *   collection until the last was written.)
 */
export function* jsonPieces(report: Report): Generator<string, void, undefined> {
  yield* stringifySections(report, 1, true);
  yield '\n';
}

/** Every piece of `jsonPieces` at once (tests; a writer should take them one by one). */
export function renderJsonChunks(report: Report): string[] {
  return [...jsonPieces(report)];
}

/**
 * Exactly `JSON.stringify(value)` for a plain object, yielded one property at a time down
 * to `depth` levels of nested plain objects (the report's sections, then the cost section's).
 *
 * Why: V8's JSON.stringify writes one-byte (Latin-1) text until it meets the first character
 * outside Latin-1 (a `—` in a quota note, a non-ASCII resource name) and writes everything after
 * it as two-byte text, about three times slower and twice the memory on a large report (a single
 * `—` early in the quotas made 110 ms of a 13 MB report instead of 35 ms). Each property
 * stringified on its own confines that to the property the character is in. With `sliceLists`,
 * lists are written in slices too (see renderJsonChunks).
 */
function* stringifySections(value: object, depth: number, sliceLists: boolean): Generator<string, void, undefined> {
  yield '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (depth > 0 && isPlainObject(v)) {
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield* stringifySections(v, depth - 1, sliceLists);
    } else if (sliceLists && Array.isArray(v) && v.length > 0) {
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield* stringifyList(v);
    } else {
      const text = JSON.stringify(v);
      // Like JSON.stringify: undefined, functions and symbols leave the property out.
      if (text === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield text;
    }
    first = false;
  }
  yield '}';
}

/** About how much text one piece of a long list holds. */
const PIECE_CHARS = 16 * 1024;

/**
 * Exactly `JSON.stringify(list)` for a non-empty array, yielded a slice of elements at a
 * time (each slice's text without the brackets between slices), ~PIECE_CHARS of text per piece. A
 * character outside Latin-1 makes only its own slice two-byte. (Elements are plain report data: no
 * element has a toJSON that would see its index in the slice.)
 */
function* stringifyList(list: readonly unknown[]): Generator<string, void, undefined> {
  let step = 16; // elements in the first slice; then as many as make about PIECE_CHARS
  for (let i = 0; i < list.length; ) {
    const end = Math.min(list.length, i + step);
    const text = JSON.stringify(list.slice(i, end));
    // `[a,b]` is written `[a,b` (first slice), `,` `a,b` (middle), `,` `a,b]` (last), or whole (the
    // only slice). The comma is a piece of its own: a slice of the text is a view of it, which a
    // writer encodes as it is, where `,` + slice would be copied into one new string first.
    if (i === 0) yield end === list.length ? text : text.slice(0, -1);
    else {
      yield ',';
      yield end === list.length ? text.slice(1) : text.slice(1, -1);
    }
    step = Math.max(1, Math.floor(((end - i) * PIECE_CHARS) / text.length));
    i = end;
  }
}

/** A plain object (or a null-prototype one) without toJSON: JSON.stringify writes it `{…}`, key by key. */
function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}
