/**
 * infracost usage files, accepted as they are:
 *
 * ```yaml
 * version: 0.1
 * resource_type_default_usage:
 *   aws_codebuild_project:
 *     monthly_build_mins: 500
 * resource_usage:
 *   aws_codebuild_project.build:        # or `<stack>/aws_codebuild_project.build`
 *     monthly_build_mins: 10000
 *   aws_s3_bucket.logs[*]:              # `[*]` matches every instance
 *     standard:
 *       storage_gb: 100
 * ```
 *
 * Nested maps flatten to dotted keys (`standard.storage_gb`). Precedence, most specific first:
 * `<stack>/address`, `address`, `<stack>/wildcard`, `wildcard`, then the type default.
 */
import * as fs from 'fs';
import { UserError } from '../errors';
import type { ResourceNode } from '../model/types';
import type { UsageValues } from './types';

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_DEPTH = 8;

type Flat = Map<string, number>;

export interface UsageFile {
  file: string;
  resourceUsage: Map<string, Flat>;
  typeDefaults: Map<string, Flat>;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(file: string, where: string, v: unknown, prefix: string, out: Flat, depth: number): void {
  if (depth > MAX_DEPTH) throw new UserError(file, `${where}: nested too deeply`);
  if (!isMap(v)) throw new UserError(file, `${where}: expected a map of usage keys, got ${describe(v)}`);
  for (const [k, val] of Object.entries(v)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isMap(val)) {
      flatten(file, `${where}.${k}`, val, key, out, depth + 1);
    } else if (typeof val === 'number' && Number.isFinite(val)) {
      if (val < 0) throw new UserError(file, `${where}.${k}: usage must not be negative (${val})`);
      out.set(key, val);
    } else if (val === null || val === undefined) {
      // an empty key (infracost writes `key:` with a comment for "unset"): ignore
    } else if (typeof val === 'string' && val.trim() !== '' && Number.isFinite(Number(val))) {
      const n = Number(val);
      if (n < 0) throw new UserError(file, `${where}.${k}: usage must not be negative (${val})`);
      out.set(key, n);
    } else {
      throw new UserError(file, `${where}.${k}: expected a number, got ${describe(val)}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v;
}

export function parseUsage(text: string, file: string): UsageFile {
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) throw new UserError(file, `usage file larger than ${MAX_BYTES} bytes`);
  // Loaded here, not at the top: every audit imports this module, few pass --usage, and the
  // yaml package costs tens of milliseconds of start-up.
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new UserError(file, `not valid YAML (${msg})`);
  }
  if (!isMap(doc)) throw new UserError(file, `not a usage file: expected a map with version: 0.1, got ${typeof doc === 'string' ? 'plain text' : describe(doc)}`); // never echo the file's own text
  const version = doc.version;
  if (version === undefined) throw new UserError(file, 'missing "version: 0.1"');
  if (String(version) !== '0.1') throw new UserError(file, `unsupported usage file version ${JSON.stringify(version)} (expected 0.1)`);
  for (const k of Object.keys(doc)) {
    if (!['version', 'resource_usage', 'resource_type_default_usage'].includes(k)) {
      throw new UserError(file, `unknown top-level key "${k}" (expected version, resource_usage, resource_type_default_usage)`);
    }
  }
  const resourceUsage = new Map<string, Flat>();
  const typeDefaults = new Map<string, Flat>();
  for (const [section, target] of [['resource_usage', resourceUsage], ['resource_type_default_usage', typeDefaults]] as const) {
    const s = doc[section];
    if (s === undefined || s === null) continue;
    if (!isMap(s)) throw new UserError(file, `${section}: expected a map keyed by ${section === 'resource_usage' ? 'address' : 'resource type'}, got ${describe(s)}`);
    for (const [addr, values] of Object.entries(s)) {
      const flat: Flat = new Map();
      if (values !== null && values !== undefined) flatten(file, `${section}.${addr}`, values, '', flat, 0);
      target.set(addr, flat);
    }
  }
  return { file, resourceUsage, typeDefaults };
}

export function loadUsage(file: string): UsageFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UserError(file, 'usage file not found');
  }
  if (!st.isFile()) throw new UserError(file, 'usage file is not a regular file');
  if (st.size > MAX_BYTES) throw new UserError(file, `usage file larger than ${MAX_BYTES} bytes`);
  return parseUsage(fs.readFileSync(file, 'utf8'), file);
}

/** `aws_x.y[3]` / `aws_x.y["k"]` → `aws_x.y[*]`; also strips trailing keys inside module paths. */
export function wildcardOf(address: string): string {
  return address.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, '[*]');
}

/** Usage when there is no usage file: nothing given, every default applies (one shared object). */
export const NO_USAGE: UsageValues = Object.freeze({ get: () => undefined });

/** The usage a file gives one resource (empty when no file). */
export function usageFor(u: UsageFile | undefined, node: Pick<ResourceNode, 'stack' | 'address' | 'type'> & { blockAddress?: string }): UsageValues {
  if (!u) return NO_USAGE;
  const layers: Flat[] = [];
  const add = (k: string) => {
    const f = u.resourceUsage.get(k);
    if (f) layers.push(f);
  };
  const addr = node.address;
  add(`${node.stack}/${addr}`);
  add(addr);
  const wild = wildcardOf(addr);
  const block = node.blockAddress ?? addr.replace(/\[[^\]]*\]$/, '');
  for (const w of new Set([wild, `${block}[*]`])) {
    if (w === addr) continue;
    add(`${node.stack}/${w}`);
    add(w);
  }
  const td = u.typeDefaults.get(node.type);
  if (td) layers.push(td);
  return {
    get(key: string) {
      for (const l of layers) {
        const v = l.get(key);
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
}
