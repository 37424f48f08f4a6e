/**
 * Terraform references inside string values: `${aws_x.y.attr}`, `${data.t.n.json}`,
 * `${aws_x.y[0].arn}/*`, and bare traversals inside expressions such as
 * `${jsonencode({"Resource" = [aws_s3_bucket.b.arn]})}`.
 *
 * A traversal is what this pattern matches inside one `${…}` region (the region read on its own,
 * so no match runs past its closing brace):
 *
 *   (?<![\w.\-"'/:$])((?:data\.)?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)
 *   (\[(?:\d+|"[^"\]]*")\]|\[\*\]|\.\*)?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?
 *
 * A resource type always has the provider prefix and an underscore (aws_s3_bucket); that keeps
 * `var.x`, `local.x`, `each.value`, `count.index`, `path.module`, `module.m.out` and
 * `s3.amazonaws.com` out. The pattern is matched by hand (`matchAt`): the loader runs it over
 * every interpolated string of the input, and the hand-written scanner reports offsets without
 * allocating a match array or a substring per traversal.
 */

export interface RefTraversal {
  /** `aws_x.y` or `data.aws_x.y`. */
  readonly block: string;
  /** `aws_x.y[0]` / `aws_x.y["k"]` when the traversal names an instance. */
  readonly instance: string | undefined;
  /** First attribute after the address (`arn`, `json`, `id` …), when any. */
  readonly attr: string | undefined;
}

/** The `${ … }` regions of a string (nested braces balanced), without the delimiters. */
export function interpolations(s: string): string[] {
  const out: string[] = [];
  let from = s.indexOf('${');
  while (from >= 0) {
    const end = regionEnd(s, from + 2);
    out.push(s.slice(from + 2, end));
    from = s.indexOf('${', end + 1);
  }
  return out;
}

/** Where the `${` region whose body starts at `i` ends: its balancing `}`, or the end of the text when unterminated. */
function regionEnd(s: string, i: number): number {
  let depth = 1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return i;
}

export function traversals(s: string): RefTraversal[] {
  const out: RefTraversal[] = [];
  if (s.indexOf('${') < 0) return out;
  const offsets = TRAVERSAL_SCRATCH;
  const n = scanTraversalOffsets(s, offsets);
  for (let t = 0; t < n; t += TRAVERSAL_STRIDE) {
    const start = offsets[t];
    const block = s.slice(start, offsets[t + 1]);
    const instanceEnd = offsets[t + 2];
    const attrStart = offsets[t + 3];
    out.push({ block, instance: instanceEnd ? s.slice(start, instanceEnd) : undefined, attr: attrStart ? s.slice(attrStart, offsets[t + 4]) : undefined });
  }
  return out;
}
/** Offsets of the string `traversals` is reading (it calls out to nothing while using it). */
const TRAVERSAL_SCRATCH: number[] = [];

/**
 * Numbers appended by `scanTraversalOffsets` per traversal: start, block end, instance end (0
 * when the traversal names no instance), attribute start and end (0, 0 when none). The block is
 * `s.slice(start, blockEnd)`, the instance `s.slice(start, instanceEnd)`.
 */
export const TRAVERSAL_STRIDE = 5;

/**
 * Every traversal in the `${…}` regions of `s`, as offsets (see TRAVERSAL_STRIDE), written into
 * `out` from index 0 on; returns the index after the last one written. Callers keep one scratch
 * array for every string: it is overwritten, never truncated (truncating an array drops its
 * storage, and refilling it would allocate again for every string).
 */
export function scanTraversalOffsets(s: string, out: number[]): number {
  let n = 0;
  let from = s.indexOf('${');
  while (from >= 0) {
    const start = from + 2;
    const end = regionEnd(s, start);
    for (let p = start; p < end; ) {
      // The look-behind: a traversal does not start inside a word, a dotted path, a quoted or
      // `$`-prefixed name, a path or an ARN. The region's first character has `{` before it.
      if (isAlpha(s.charCodeAt(p)) && (p === start || !continuesName(s.charCodeAt(p - 1)))) {
        const e = matchAt(s, p, end, out, n);
        if (e > 0) {
          n += TRAVERSAL_STRIDE;
          p = e;
          continue;
        }
      }
      p++;
    }
    from = end < s.length ? s.indexOf('${', end + 1) : -1;
  }
  return n;
}

/**
 * Whether `s` is one plain traversal and nothing else: `${aws_x.y}`, `${aws_x.y[0].arn}`,
 * `${data.t.n.json}`, further `.name`s allowed after the attribute (no splat, no spaces, no
 * quoted key holding a brace). Such a value holds exactly one reference: after the address each
 * `.name` follows a dot, where no traversal starts. When it is one, its offsets (as
 * `scanTraversalOffsets` writes them, TRAVERSAL_STRIDE numbers) are written into `out` from
 * index 0. Read by hand with the scanner's `matchAt` and no regex: the IAM views ask this of
 * every policy and principal value, and the offsets let the model resolve the value without
 * scanning it again.
 */
export function singleTraversal(s: string, out: number[]): boolean {
  const last = s.length - 1;
  if (last < 2 || s.charCodeAt(last) !== 125 /* } */ || s.charCodeAt(0) !== 36 /* $ */ || s.charCodeAt(1) !== 123 /* { */) return false;
  if (matchAt(s, 2, last, out, 0) < 0) return false;
  let i = out[2] || out[1];
  // A quoted instance key holds no brace (it would be a region of its own for the scanner).
  if (out[2] && s.charCodeAt(out[1] + 1) === 34 /* " */) {
    for (let k = out[1] + 2; k < i; k++) {
      const c = s.charCodeAt(k);
      if (c === 123 || c === 125) return false;
    }
  }
  // (?:\.[A-Za-z_][A-Za-z0-9_-]*)* up to the closing brace. `matchAt` took the first `.name` as
  // the attribute; a splat (`[*]`, `.*`) fails here, as does anything else left over.
  while (i < last) {
    if (s.charCodeAt(i) !== 46 /* . */ || !isNameStart(s.charCodeAt(i + 1))) return false;
    i += 2;
    while (i < last && isNameChar(s.charCodeAt(i))) i++;
  }
  return true;
}

/**
 * Match one traversal at `p` (reading nothing at or past `end`); on a match, write its offsets
 * into `out` from index `n` and return where it ends, else return -1.
 */
function matchAt(s: string, p: number, end: number, out: number[], n: number): number {
  // (?:data\.)? — when `data.` is there the traversal must follow it (`data` alone has no `_`).
  let i = p;
  if (s.charCodeAt(p) === 100 /* d */ && s.startsWith('data.', p) && p + 5 <= end) i = p + 5;
  // [A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.
  if (i >= end || !isAlpha(s.charCodeAt(i))) return -1;
  i++;
  while (i < end && isAlnum(s.charCodeAt(i))) i++;
  if (i >= end || s.charCodeAt(i) !== 95 /* _ */) return -1;
  i++;
  while (i < end && isWord(s.charCodeAt(i))) i++;
  if (i >= end || s.charCodeAt(i) !== 46 /* . */) return -1;
  i++;
  // [A-Za-z_][A-Za-z0-9_-]*
  if (i >= end || !isNameStart(s.charCodeAt(i))) return -1;
  i++;
  while (i < end && isNameChar(s.charCodeAt(i))) i++;
  const blockEnd = i;
  // (\[(?:\d+|"[^"\]]*")\]|\[\*\]|\.\*)? — only a number or a quoted key names an instance.
  let instanceEnd = 0;
  const c = i < end ? s.charCodeAt(i) : -1;
  if (c === 91 /* [ */ && i + 1 < end) {
    const d = s.charCodeAt(i + 1);
    if (isDigit(d)) {
      let j = i + 2;
      while (j < end && isDigit(s.charCodeAt(j))) j++;
      if (j < end && s.charCodeAt(j) === 93 /* ] */) i = instanceEnd = j + 1;
    } else if (d === 34 /* " */) {
      let j = i + 2;
      while (j < end && s.charCodeAt(j) !== 34 && s.charCodeAt(j) !== 93) j++;
      if (j + 1 < end && s.charCodeAt(j) === 34 && s.charCodeAt(j + 1) === 93) i = instanceEnd = j + 2;
    } else if (d === 42 /* * */ && i + 2 < end && s.charCodeAt(i + 2) === 93) i += 3;
  } else if (c === 46 /* . */ && i + 1 < end && s.charCodeAt(i + 1) === 42 /* * */) i += 2;
  // (?:\.([A-Za-z_][A-Za-z0-9_-]*))?
  let attrStart = 0;
  if (i + 1 < end && s.charCodeAt(i) === 46 && isNameStart(s.charCodeAt(i + 1))) {
    attrStart = i + 1;
    i += 2;
    while (i < end && isNameChar(s.charCodeAt(i))) i++;
  }
  out[n] = p;
  out[n + 1] = blockEnd;
  out[n + 2] = instanceEnd;
  out[n + 3] = attrStart;
  out[n + 4] = attrStart ? i : 0;
  return i;
}

// Character classes of the pattern, one bit each, looked up by char code (ASCII only: every
// character the pattern names is ASCII).
const ALPHA = 1;
const DIGIT = 2;
const UNDERSCORE = 4;
const DASH = 8;
/** [.\-"'/:$] besides \w: characters after which no traversal starts. */
const STOPS = 16;
const CLASSES = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASSES[c] = CLASSES[c + 32] = ALPHA;
for (let c = 48; c <= 57; c++) CLASSES[c] = DIGIT;
CLASSES[95] = UNDERSCORE;
CLASSES[45] = DASH | STOPS;
for (const ch of '."\'/:$') CLASSES[ch.charCodeAt(0)] |= STOPS;

function is(c: number, classes: number): boolean {
  return c < 128 && (CLASSES[c] & classes) !== 0;
}
function isAlpha(c: number): boolean {
  return is(c, ALPHA);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlnum(c: number): boolean {
  return is(c, ALPHA | DIGIT);
}
/** \w */
function isWord(c: number): boolean {
  return is(c, ALPHA | DIGIT | UNDERSCORE);
}
function isNameStart(c: number): boolean {
  return is(c, ALPHA | UNDERSCORE);
}
function isNameChar(c: number): boolean {
  return is(c, ALPHA | DIGIT | UNDERSCORE | DASH);
}
/** [\w.\-"'/:$]: a character after which no traversal starts. */
function continuesName(c: number): boolean {
  return is(c, ALPHA | DIGIT | UNDERSCORE | STOPS);
}

/** `aws_x.y[0]` → `aws_x.y`; `module.m.aws_x.y["k"]` → `module.m.aws_x.y`. */
const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]$/;
export function blockOf(address: string): string {
  if (!address.endsWith(']')) return address;
  const m = INSTANCE_KEY.exec(address);
  return m ? address.slice(0, m.index) : address;
}
