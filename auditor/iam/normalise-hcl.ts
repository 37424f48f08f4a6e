/**
 * Reads the HCL object syntax that cdktf renders for `Fn.jsonencode(...)`:
 *   ${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Resource" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]}]})}
 * into plain values. A traversal (`aws_s3_bucket.b.arn`) becomes the reference string
 * `${aws_s3_bucket.b.arn}`; any other expression becomes `${<expression>}` when it references a
 * resource, and `Unknown` when it does not. Nothing is evaluated.
 *
 * cdktf 0.21 does not escape `"` or `\` inside these strings (seen by synthesizing
 * `Fn.jsonencode({ Action: ['a"b', 'x\\y'] })`), so a quote only ends a string when what follows
 * it can end a value; other backslashes are kept literally.
 */
import { Unknown } from '../model/types';
import { traversals } from '../model/refs';

const MAX_NESTING = 64;
const SPECIAL = /[\\$"]/g;
const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['n', '\n'], ['t', '\t'], ['r', '\r']]);

export class HclSyntaxError extends Error {}

const TRAVERSAL_ONLY = /^(?:data\.)?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"[^"\]]*")\])?(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/** If `s` is exactly `${jsonencode(<expr>)}`, the parsed `<expr>`; otherwise undefined. */
export function parseJsonencode(s: string): { value: unknown } | undefined {
  const m = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(s);
  if (!m) return undefined;
  return { value: parseHclValue(m[1]) };
}

export function parseHclValue(text: string): unknown {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) throw new HclSyntaxError(`unexpected '${text.slice(p.i, p.i + 12)}' at ${p.i}`);
  return v;
}

/** An expression kept as text: a reference string when it names a resource, Unknown when not. */
export function expressionValue(expr: string): unknown {
  const e = expr.trim();
  if (TRAVERSAL_ONLY.test(e)) return `\${${e}}`;
  if (traversals(`\${${e}}`).length) return `\${${e}}`;
  return new Unknown(`expression ${e.length > 60 ? `${e.slice(0, 60)}…` : e}`);
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') this.i++;
      else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_NESTING) throw new HclSyntaxError('nested too deeply');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.tuple(depth);
    if (c === '"') return this.string();
    return this.bare();
  }

  object(depth: number): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) throw new HclSyntaxError('unterminated object');
      let key: string;
      if (this.s[this.i] === '"') key = this.string();
      else {
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) throw new HclSyntaxError(`bad object key at ${this.i}`);
        key = m[0];
        this.i += key.length;
      }
      this.ws();
      const sep = this.s[this.i];
      if (sep !== '=' && sep !== ':') throw new HclSyntaxError(`expected '=' after key '${key}'`);
      this.i++;
      this.ws();
      out[key] = this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
    }
  }

  tuple(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) throw new HclSyntaxError('unterminated tuple');
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
    }
  }

  /** A quoted template; `${…}` kept verbatim (it is Terraform's reference syntax). */
  string(): string {
    const s = this.s;
    let out = '';
    this.i++;
    while (this.i < s.length) {
      SPECIAL.lastIndex = this.i;
      const hit = SPECIAL.exec(s);
      if (!hit) break;
      if (hit.index > this.i) {
        out += s.slice(this.i, hit.index);
        this.i = hit.index;
      }
      const c = s[this.i];
      if (c === '\\') {
        const n = s[this.i + 1];
        const simple = n === undefined ? undefined : ESCAPES.get(n);
        if (simple !== undefined) {
          out += simple;
          this.i += 2;
        } else if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          out += c;
          this.i++;
        }
      } else if (c === '$' && s[this.i + 1] === '$' && s[this.i + 2] === '{') {
        out += '${';
        this.i += 3;
      } else if (c === '$' && s[this.i + 1] === '{') {
        let depth = 1;
        let j = this.i + 2;
        for (; j < s.length && depth > 0; j++) {
          if (s[j] === '{') depth++;
          else if (s[j] === '}') depth--;
        }
        if (depth !== 0) throw new HclSyntaxError('unterminated interpolation');
        out += s.slice(this.i, j);
        this.i = j;
      } else if (c === '"') {
        if (this.endsAt(this.i + 1)) {
          this.i++;
          return out;
        }
        out += c; // cdktf leaves quotes inside strings unescaped
        this.i++;
      } else {
        out += c; // a lone '$'
        this.i++;
      }
    }
    throw new HclSyntaxError('unterminated string');
  }

  /** Whether a value can end at `j` (what follows is a separator, a closer, or the end). */
  private endsAt(j: number): boolean {
    while (j < this.s.length && (this.s[j] === ' ' || this.s[j] === '\t' || this.s[j] === '\r')) j++;
    if (j >= this.s.length) return true;
    return ',]})=:\n'.includes(this.s[j]);
  }

  /** Numbers, true/false/null, traversals and function calls: read to the next separator at depth 0. */
  bare(): unknown {
    const s = this.s;
    const start = this.i;
    let depth = 0;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === '\n') && depth === 0) break;
      this.i++;
    }
    const text = s.slice(start, this.i).trim();
    if (!text) throw new HclSyntaxError(`expected a value at ${start}`);
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (text === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
    return expressionValue(text);
  }
}
