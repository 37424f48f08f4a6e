/**
 * Terraform references inside string values: `${aws_x.y.attr}`, `${data.t.n.json}`,
 * `${aws_x.y[0].arn}/*`, and bare traversals inside expressions such as
 * `${jsonencode({"Resource" = [aws_s3_bucket.b.arn]})}`.
 */

export interface RefTraversal {
  /** `aws_x.y` or `data.aws_x.y`. */
  readonly block: string;
  /** `aws_x.y[0]` / `aws_x.y["k"]` when the traversal names an instance. */
  readonly instance: string | undefined;
  /** First attribute after the address (`arn`, `json`, `id` …), when any. */
  readonly attr: string | undefined;
}

// A resource type always has the provider prefix and an underscore (aws_s3_bucket); that keeps
// `var.x`, `local.x`, `each.value`, `count.index`, `path.module` and `s3.amazonaws.com` out.
const TRAVERSAL =
  /(?<![\w.\-"'/:$])((?:data\.)?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"[^"\]]*")\]|\[\*\]|\.\*)?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?/g;

/** The `${ … }` regions of a string (nested braces balanced), without the delimiters. */
export function interpolations(s: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const start = s.indexOf('${', from);
    if (start < 0) break;
    let depth = 1;
    let i = start + 2;
    for (; i < s.length && depth > 0; i++) {
      const c = s.charCodeAt(i);
      if (c === 123) depth++;
      else if (c === 125) depth--;
    }
    out.push(s.slice(start + 2, depth === 0 ? i - 1 : i));
    from = i;
  }
  return out;
}

export function traversals(s: string): RefTraversal[] {
  if (s.indexOf('${') < 0) return [];
  const out: RefTraversal[] = [];
  for (const expr of interpolations(s)) {
    TRAVERSAL.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TRAVERSAL.exec(expr)) !== null) {
      const block = m[1];
      if (block.startsWith('module.')) continue;
      const idx = m[2] !== undefined && m[2].charCodeAt(0) === 91 && m[2] !== '[*]' ? m[2] : undefined;
      out.push({ block, instance: idx === undefined ? undefined : block + idx, attr: m[3] });
    }
  }
  return out;
}

/**
 * The same traversals as `traversals(s)`, appended to `out` as pairs (block, instance or '')
 * without allocating per traversal: the regex runs on `s` itself, inside each `${…}` region
 * (the character before a region is `{`, which the look-behind treats like the start of text,
 * and no match can cross a region's closing `}`). Returns the number of strings appended.
 */
export function scanTraversals(s: string, out: string[]): number {
  const before = out.length;
  let from = s.indexOf('${');
  while (from >= 0) {
    let depth = 1;
    let i = from + 2;
    for (; i < s.length && depth > 0; i++) {
      const c = s.charCodeAt(i);
      if (c === 123) depth++;
      else if (c === 125) depth--;
    }
    const end = depth === 0 ? i - 1 : i;
    const mark = out.length;
    if (!scanRegion(s, from + 2, end, out)) {
      // A match ran past the region's end (a quoted index holding `}`): redo it on the region alone.
      out.length = mark;
      const expr = s.slice(from + 2, end);
      scanRegion(expr, 0, expr.length, out);
    }
    from = s.indexOf('${', i);
  }
  return out.length - before;
}

function scanRegion(s: string, start: number, end: number, out: string[]): boolean {
  TRAVERSAL.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = TRAVERSAL.exec(s)) !== null && m.index < end) {
    if (TRAVERSAL.lastIndex > end) return false;
    const block = m[1];
    if (block.startsWith('module.')) continue;
    const idx = m[2] !== undefined && m[2].charCodeAt(0) === 91 && m[2] !== '[*]' ? m[2] : undefined;
    out.push(block, idx === undefined ? '' : block + idx);
  }
  return true;
}

/** `aws_x.y[0]` → `aws_x.y`; `module.m.aws_x.y["k"]` → `module.m.aws_x.y`. */
const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]$/;
export function blockOf(address: string): string {
  if (!address.endsWith(']')) return address;
  const m = INSTANCE_KEY.exec(address);
  return m ? address.slice(0, m.index) : address;
}
