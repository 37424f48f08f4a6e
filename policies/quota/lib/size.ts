/**
 * Policy document size the way IAM counts it: characters, white space not counted. Only a
 * document whose text is known exactly is measured (a literal JSON string); anything Terraform
 * computes (`${jsonencode(…)}`, a data source's `.json`) is left to the plan, where it is literal.
 */
export function policyChars(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.includes('${')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  // The document re-serialised compactly (no white space outside strings), white space inside
  // strings not counted either: measured on the parsed value instead of building that text, unless
  // it nests deeper than policies do (then as before, with JSON.stringify's own limits).
  const n = compactLength(parsed, 0);
  return n >= 0 ? n : JSON.stringify(parsed).replace(/\s/g, '').length;
}

/**
 * An upper bound of `policyChars(value)` read from the text alone, without parsing it: the
 * characters that are not white space, plus what re-serialising can add — a lone surrogate
 * becomes a six-character escape, a number in exponent form (`1e20`) may be written out in full.
 * Escapes, duplicate keys and other number forms only shorten the text. Undefined where
 * `policyChars` is undefined for any text (not a string, or an expression). Rules compare this
 * with a limit first: a document that cannot exceed it is never parsed.
 */
export function policyCharsAtMost(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.includes('${')) return undefined;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c < 0x80) {
      // e/E after a digit: an exponent; `1e20` is written as 21 digits.
      n += (c === 0x65 || c === 0x45) && i > 0 && isDigit(value.charCodeAt(i - 1)) ? 1 + EXPONENT_GROWTH : 1;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6;
    else if (!WHITE_SPACE.test(value[i])) n++;
  }
  return n;
}

/** The most characters writing out a JSON number in exponent form adds (`1e20` → 21 digits: 17 more). */
const EXPONENT_GROWTH = 20;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const MAX_DEPTH = 64;

/** `JSON.stringify(v).replace(/\s/g, '').length` for a value JSON.parse produced; -1 when nested deeper than MAX_DEPTH. */
function compactLength(v: unknown, depth: number): number {
  if (typeof v === 'string') return quotedLength(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4; // non-finite numbers are written as null
  if (typeof v === 'boolean') return v ? 4 : 5;
  if (v === null || typeof v !== 'object') return 4;
  if (depth === MAX_DEPTH) return -1;
  if (Array.isArray(v)) {
    let n = v.length > 0 ? v.length + 1 : 2; // brackets and commas
    for (let i = 0; i < v.length; i++) {
      const item = compactLength(v[i], depth + 1);
      if (item < 0) return -1;
      n += item;
    }
    return n;
  }
  const o = v as Record<string, unknown>;
  let n = 2;
  let keys = 0;
  for (const key in o) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    const value = compactLength(o[key], depth + 1);
    if (value < 0) return -1;
    n += quotedLength(key) + 1 + value; // "key":value
    keys++;
  }
  return keys > 1 ? n + keys - 1 : n;
}

const WHITE_SPACE = /\s/;

/**
 * Length of a string as JSON.stringify quotes it, less the white space it leaves as it is:
 * `"` and `\` and the control characters with a short escape take two characters, other control
 * characters and lone surrogates six (`\uXXXX`); the white space it does not escape is a space
 * and the non-ASCII spaces and separators.
 */
function quotedLength(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) n += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    else if (c === 0x22 || c === 0x5c) n += 2;
    else if (c === 0x20) continue;
    else if (c < 0x80) n++;
    else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          n += 2;
          i++;
          continue;
        }
      }
      n += 6;
    } else if (!WHITE_SPACE.test(s[i])) n++;
  }
  return n;
}
