/**
 * Terraform JSON configuration (cdk.tf.json, *.tf.json) → raw model nodes and stack info.
 * Input must already be sanitised (null-prototype, depth-bounded): see guard.ts.
 */
import { UserError } from '../errors';
import type { BackendInfo, StackInfo, Suppression } from '../model/types';
import { Node } from '../model/node';
import { Obj, bareObject, describe, isObj, own } from './guard';

const CONFIG_KEYS = ['resource', 'data', 'provider', 'terraform', 'module', 'variable', 'output', 'locals'];

export function looksLikeConfig(root: Obj): boolean {
  return CONFIG_KEYS.some((k) => own(root, k) !== undefined);
}

/** Terraform JSON allows an array of objects wherever a block body or label map is expected. */
function objects(v: unknown, file: string, where: string): Obj[] {
  if (isObj(v)) return [v];
  if (Array.isArray(v) && v.every(isObj)) return v as Obj[];
  throw new UserError(file, `'${where}' must be an object, found ${describe(v)}`);
}

export interface ConfigResult {
  readonly stack: StackInfo;
  readonly nodes: Node[];
}

export function rawFromConfig(root: unknown, stack: string, file: string): ConfigResult {
  if (!isObj(root)) throw new UserError(file, `not a Terraform JSON configuration: the top level is ${describe(root)}, not an object`);
  if (!looksLikeConfig(root)) {
    throw new UserError(file, 'not a Terraform JSON configuration or plan (no resource, data, provider, terraform or module block)');
  }
  const nodes: Node[] = [];
  for (const [mode, key] of [['managed', 'resource'], ['data', 'data']] as const) {
    const section = own(root, key);
    if (section === undefined) continue;
    for (const byType of objects(section, file, key)) {
      for (const type in byType) {
        if (type === '//') continue;
        if (!isTerraformName(type, false)) throw new UserError(file, `'${key}' has a block type '${clip(type)}' that is not a Terraform resource type`);
        const prefix = mode === 'data' ? `data.${type}.` : `${type}.`;
        for (const byName of objects(byType[type], file, `${key}.${type}`)) {
          for (const name in byName) {
            if (name === '//') continue;
            if (!isTerraformName(name, true)) throw new UserError(file, `'${key}.${type}' has a block named '${clip(name)}' that is not a Terraform name`);
            // A block body is an object, or (Terraform JSON) an array of them of which the last counts.
            let body = byName[name];
            if (!isObj(body)) {
              const bodies = objects(body, file, `${key}.${type}.${name}`);
              body = bodies[bodies.length - 1];
              if (!body) throw new UserError(file, `'${key}.${type}.${name}' must be an object, found an empty array`);
            }
            nodes.push(configNode(body as Obj, stack, file, flatConcat(prefix, name), mode, type, name));
          }
        }
      }
    }
  }
  return { stack: stackInfo(root, stack, file), nodes };
}

/**
 * `[A-Za-z][A-Za-z0-9_-]*` (a resource type) or, with `underscoreFirst`, `[A-Za-z_][A-Za-z0-9_-]*`
 * (a block name); checked by hand since it runs once per block of the input.
 */
function isTerraformName(s: string, underscoreFirst: boolean): boolean {
  if (!s.length) return false;
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || (underscoreFirst && c0 === 95))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/**
 * `a + b` as one flat string. `+` makes a two-part (cons) string that V8 copies into a flat one the
 * first time its characters are read or it is hashed, and keeps both; an address is read by the
 * model's index right away, so it is made flat once (a join builds the flat string directly).
 * The pair joined is one scratch array, overwritten per call: a `[a, b]` literal per block would
 * be 64 bytes of garbage for every resource of the input.
 */
function flatConcat(a: string, b: string): string {
  PAIR[0] = a;
  PAIR[1] = b;
  return PAIR.join('');
}
const PAIR: string[] = ['', ''];

/** At most 40 characters of a name or expression from the input, control characters escaped (a UserError is one line). */
function clip(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return short.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function configNode(body: Obj, stack: string, file: string, address: string, mode: 'managed' | 'data', type: string, name: string): Node {
  const meta = own(body, '//');
  let values = body;
  if (meta !== undefined) {
    // cdktf writes `//` in every block: its values are the body without it. `for…in` lists the
    // same keys as Object.keys here (the body has no prototype) without making a key list per block.
    values = bareObject();
    for (const k in body) if (k !== '//') values[k] = body[k];
  }
  const node = new Node(stack, file, mode, type, name, address, address, values);
  if (own(values, 'count') !== undefined || own(values, 'for_each') !== undefined) {
    const { count, countUnknown } = instanceCount(values, file, address);
    node.count = count;
    node.countUnknown = countUnknown;
  }
  if (meta !== undefined) {
    const metadata = isObj(meta) ? own(meta, 'metadata') : undefined;
    const constructPath = isObj(metadata) ? own(metadata, 'path') : undefined;
    if (typeof constructPath === 'string') node.constructPath = constructPath;
    const suppressions = codeSuppressions(meta, file, address);
    if (suppressions.length) node.suppressions = suppressions;
  }
  return node;
}

/** `count` / `for_each` when literal; otherwise 1 with the expression recorded. */
export function instanceCount(values: Obj, file: string, where: string): { count: number; countUnknown?: string } {
  const count = own(values, 'count');
  const forEach = own(values, 'for_each');
  if (count !== undefined && forEach !== undefined) throw new UserError(file, `${where} sets both count and for_each`);
  if (count !== undefined) {
    if (typeof count === 'number') {
      if (!Number.isInteger(count) || count < 0) throw new UserError(file, `${where}.count must be a whole number ≥ 0, found ${count}`);
      return { count };
    }
    if (typeof count === 'boolean') return { count: count ? 1 : 0 };
    if (typeof count === 'string') {
      if (/^\s*\d+\s*$/.test(count)) return { count: Number(count) };
      const lit = /^\$\{\s*(\d+)\s*\}$/.exec(count);
      if (lit) return { count: Number(lit[1]) };
      return { count: 1, countUnknown: `count = ${clip(count)} (not a literal; counted as 1)` };
    }
    throw new UserError(file, `${where}.count must be a number, found ${describe(count)}`);
  }
  if (forEach !== undefined) {
    if (Array.isArray(forEach)) return { count: new Set(forEach.map((x) => JSON.stringify(x))).size };
    if (isObj(forEach)) return { count: Object.keys(forEach).length };
    if (typeof forEach === 'string') {
      const n = literalCollectionSize(forEach);
      if (n !== undefined) return { count: n };
      return { count: 1, countUnknown: `for_each = ${clip(forEach)} (not a literal; counted as 1)` };
    }
    throw new UserError(file, `${where}.for_each must be a map or a set, found ${describe(forEach)}`);
  }
  return { count: 1 };
}

const LITERAL_COLLECTION = /^\$\{\s*(?:(?:toset|tomap)\s*\(\s*)?([[{][^$]*[\]}])\s*\)?\s*\}$/;

/**
 * The size of a literal collection written as an expression, as people write for_each by hand:
 * `${toset(["a", "b"])}`, `${["a", "b"]}`, `${tomap({"a" = 1})}`, `${{a = 1}}` with JSON-syntax
 * items. Anything else (references, functions over variables, HCL `=` maps) is undefined.
 */
function literalCollectionSize(expr: string): number | undefined {
  if (expr.length > 100_000) return undefined;
  const m = LITERAL_COLLECTION.exec(expr.trim());
  if (!m) return undefined;
  const fn = /^\$\{\s*(toset|tomap)/.exec(expr.trim())?.[1];
  if (fn && !/\)\s*\}$/.test(expr.trim())) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(m[1]);
  } catch {
    return undefined;
  }
  if (Array.isArray(v) && fn !== 'tomap' && v.every((x) => typeof x === 'string' || typeof x === 'number')) return new Set(v.map(String)).size;
  if (isObj(v) && fn !== 'toset') return Object.keys(v).length;
  return undefined;
}

const NO_SUPPRESSIONS: readonly Suppression[] = Object.freeze([]);

/** Suppressions recorded by stacks/lib/suppress.ts under `//.gantry.suppressions`. */
function codeSuppressions(meta: unknown, file: string, where: string): readonly Suppression[] {
  if (!isObj(meta)) return NO_SUPPRESSIONS;
  const gantry = own(meta, 'gantry');
  if (gantry === undefined) return NO_SUPPRESSIONS;
  const list = isObj(gantry) ? own(gantry, 'suppressions') : undefined;
  if (list === undefined) return NO_SUPPRESSIONS;
  if (!Array.isArray(list)) throw new UserError(file, `${where}: //.gantry.suppressions must be an array, found ${describe(list)}`);
  return list.map((s, i) => {
    const at = `${where}: //.gantry.suppressions[${i}]`;
    if (!isObj(s)) throw new UserError(file, `${at} must be an object, found ${describe(s)}`);
    const ruleId = own(s, 'ruleId');
    const reason = own(s, 'reason');
    const detail = own(s, 'detail');
    const expires = own(s, 'expires');
    if (typeof ruleId !== 'string' || !ruleId) throw new UserError(file, `${at} has no ruleId`);
    if (typeof reason !== 'string') throw new UserError(file, `${at} has no reason`);
    if (detail !== undefined && typeof detail !== 'string') throw new UserError(file, `${at}.detail must be a string`);
    if (expires !== undefined && typeof expires !== 'string') throw new UserError(file, `${at}.expires must be a date string (YYYY-MM-DD)`);
    return { ruleId, reason, ...(detail !== undefined ? { detail } : {}), ...(expires !== undefined ? { expires } : {}), origin: 'code' };
  });
}

function literal(v: unknown): string | undefined {
  return typeof v === 'string' && v.indexOf('${') < 0 && v !== '' ? v : undefined;
}

function stackInfo(root: Obj, name: string, file: string): StackInfo {
  let region: string | undefined;
  let accountId: string | undefined;
  const providers = own(root, 'provider');
  if (providers !== undefined) {
    for (const p of objects(providers, file, 'provider')) {
      const aws = own(p, 'aws');
      if (aws === undefined) continue;
      const list = objects(aws, file, 'provider.aws');
      const primary = list.find((x) => own(x, 'alias') === undefined) ?? list[0];
      if (!primary) continue;
      region ??= literal(own(primary, 'region'));
      const ids = own(primary, 'allowed_account_ids');
      if (Array.isArray(ids) && ids.length === 1) accountId ??= literal(ids[0]);
    }
  }
  let backend: BackendInfo | undefined;
  const terraform = own(root, 'terraform');
  if (terraform !== undefined) {
    for (const t of objects(terraform, file, 'terraform')) {
      const b = own(t, 'backend');
      if (b === undefined) continue;
      for (const byType of objects(b, file, 'terraform.backend')) {
        for (const type of Object.keys(byType)) {
          const bodies = objects(byType[type], file, `terraform.backend.${type}`);
          if (bodies.length) backend = { type, config: bodies[bodies.length - 1] };
        }
      }
    }
  }
  return { name, file, kind: 'config', ...(region ? { region } : {}), ...(accountId ? { accountId } : {}), ...(backend ? { backend } : {}) };
}
