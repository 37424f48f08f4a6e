/**
 * `terraform show -json` plan (format 1.x) → raw model nodes, one per resource instance.
 *
 * Sources, in order: resource_changes (after/before per instance, with the action), then
 * planned_values and prior_state for anything not in resource_changes (data sources read during
 * plan live only in prior_state). Where a planned value is unknown (after_unknown), the
 * configuration's expression is put back: the JSON-syntax template when Terraform reports one
 * (`${aws_kms_key.k.arn}`), else `${<first resource reference>}`, else an Unknown — so links
 * still resolve and nothing unknown reads as a wildcard.
 */
import { UserError } from '../errors';
import { Model } from '../model/model';
import { Node } from '../model/node';
import type { PlanAction, ResourceModel, StackInfo } from '../model/types';
import { Unknown } from '../model/types';
import { blockOf } from '../model/refs';
import { DEFAULT_MAX_DEPTH, Obj, describe, isObj, own, sanitise } from './guard';

export function looksLikePlan(root: Obj): boolean {
  return typeof own(root, 'format_version') === 'string' && ['planned_values', 'resource_changes', 'prior_state', 'configuration', 'values'].some((k) => own(root, k) !== undefined);
}

export interface PlanOptions {
  readonly file?: string;
  readonly maxDepth?: number;
}

/** A parsed plan → model (the stack is `name`). */
export function modelFromPlan(plan: unknown, name: string, opts: PlanOptions = {}): ResourceModel {
  const file = opts.file ?? `${name}.plan.json`;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const r = rawFromPlan(sanitise(plan, file, maxDepth, true), name, file);
  return new Model([file], [r.stack], r.nodes);
}

const ACTIONS: Record<string, PlanAction> = { create: 'create', update: 'update', delete: 'delete', read: 'read', 'no-op': 'no-op', forget: 'delete' };

function actionOf(list: unknown[], file: string, where: string): PlanAction {
  const a = list.map((x) => (typeof x === 'string' ? x : ''));
  if (a.length === 2 && a.includes('create') && a.includes('delete')) return 'replace';
  if (a.length === 1 && Object.prototype.hasOwnProperty.call(ACTIONS, a[0])) return ACTIONS[a[0]];
  if (a.length === 2 && a.includes('create') && a.includes('forget')) return 'replace';
  throw new UserError(file, `${where}.change.actions ${JSON.stringify(a).slice(0, 60)} is not a Terraform plan action`);
}

function str(o: Obj, k: string, file: string, where: string): string {
  const v = own(o, k);
  if (typeof v !== 'string' || !v) throw new UserError(file, `${where}.${k} must be a non-empty string, found ${describe(v)}`);
  return v;
}

function arr(o: Obj, k: string, file: string, where: string): unknown[] {
  const v = own(o, k);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new UserError(file, `${where}.${k} must be an array, found ${describe(v)}`);
  return v;
}

function obj(o: Obj, k: string, file: string, where: string): Obj | undefined {
  const v = own(o, k);
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new UserError(file, `${where}.${k} must be an object, found ${describe(v)}`);
  return v;
}

// ---- configuration index ------------------------------------------------------------------

interface ConfigIndex {
  /** `module.a.module.b` (no instance keys) + `\0` + `aws_x.y` → configuration resource. */
  readonly resources: Map<string, Obj>;
  region?: string;
}

function indexConfiguration(conf: Obj | undefined, file: string): ConfigIndex {
  const index: ConfigIndex = { resources: new Map() };
  if (!conf) return index;
  const providers = obj(conf, 'provider_config', file, 'configuration');
  if (providers) {
    for (const key of Object.keys(providers)) {
      const p = providers[key];
      if (!isObj(p) || own(p, 'name') !== 'aws' || own(p, 'alias') !== undefined || own(p, 'module_address') !== undefined) continue;
      const region = isObj(own(p, 'expressions')) ? own(own(p, 'expressions') as Obj, 'region') : undefined;
      const cv = isObj(region) ? own(region, 'constant_value') : undefined;
      if (typeof cv === 'string' && !cv.includes('${')) index.region = cv;
    }
  }
  const walk = (mod: Obj, prefix: string, where: string) => {
    arr(mod, 'resources', file, where).forEach((r, i) => {
      if (!isObj(r)) throw new UserError(file, `${where}.resources[${i}] must be an object, found ${describe(r)}`);
      const address = own(r, 'address');
      if (typeof address === 'string') index.resources.set(`${prefix}\0${address}`, r);
    });
    const calls = obj(mod, 'module_calls', file, where);
    if (calls) {
      for (const name of Object.keys(calls)) {
        const call = calls[name];
        if (!isObj(call)) throw new UserError(file, `${where}.module_calls.${name} must be an object, found ${describe(call)}`);
        const child = obj(call, 'module', file, `${where}.module_calls.${name}`);
        if (child) walk(child, prefix ? `${prefix}.module.${name}` : `module.${name}`, `${where}.module_calls.${name}.module`);
      }
    }
  };
  const root = obj(conf, 'root_module', file, 'configuration');
  if (root) walk(root, '', 'configuration.root_module');
  return index;
}

/** `module.a["x"].module.b[0]` → `module.a.module.b`. */
function moduleKey(moduleAddress: string | undefined): string {
  if (!moduleAddress) return '';
  return moduleAddress.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, '');
}

// ---- putting unknown values back --------------------------------------------------------

const NON_RESOURCE = /^(?:var|local|each|count|path|terraform|self|module)\./;

function isLeafExpression(e: unknown): e is Obj {
  if (!isObj(e)) return false;
  const keys = Object.keys(e);
  return keys.length > 0 && keys.every((k) => k === 'constant_value' || k === 'references');
}

function fromExpression(expr: unknown): unknown {
  if (isLeafExpression(expr)) {
    const cv = own(expr, 'constant_value');
    if (typeof cv === 'string' && cv.includes('${')) return cv;
    const refs = own(expr, 'references');
    if (Array.isArray(refs)) {
      const ref = refs.find((r): r is string => typeof r === 'string' && !NON_RESOURCE.test(r));
      if (ref) return `\${${ref}}`;
    }
  }
  return new Unknown();
}

function childExpression(expr: unknown, key: string | number): unknown {
  if (expr === undefined) return undefined;
  if (isLeafExpression(expr)) {
    const cv = own(expr, 'constant_value');
    const refs = own(expr, 'references');
    const child = Array.isArray(cv) && typeof key === 'number' ? cv[key] : isObj(cv) && typeof key === 'string' ? own(cv, key) : undefined;
    return { ...(child !== undefined ? { constant_value: child } : {}), ...(refs !== undefined ? { references: refs } : {}) };
  }
  if (Array.isArray(expr)) return typeof key === 'number' ? expr[key] : undefined;
  if (isObj(expr) && typeof key === 'string') return own(expr, key);
  return undefined;
}

/** The configuration block `expr` exists (an object of per-attribute expressions, not a leaf expression). */
function isConfigBlock(expr: unknown): expr is Obj {
  return isObj(expr) && !isLeafExpression(expr);
}

const NOT_SET = 'not set in the configuration';

/**
 * Merge planned values with after_unknown, restoring expressions. Depth is bounded by sanitise().
 * An unknown attribute whose configuration block exists but has no expression for it is one the
 * provider computes (CodeBuild `encryption_key`, a KMS key's default `policy`): it is marked
 * `Unknown('not set in the configuration')`, which rules read as absent.
 */
function withUnknowns(after: unknown, unknown: unknown, expr: unknown, unset = false): unknown {
  if (unknown === true) return unset ? new Unknown(NOT_SET) : fromExpression(expr);
  if (Array.isArray(after)) {
    const u = Array.isArray(unknown) ? unknown : [];
    const n = Math.max(after.length, u.length);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = withUnknowns(after[i] ?? null, u[i], childExpression(expr, i));
    return out;
  }
  if (isObj(after)) {
    const u = isObj(unknown) ? unknown : undefined;
    const out = Object.create(null) as Obj;
    const block = isConfigBlock(expr);
    const child = (k: string) => {
      const e = childExpression(expr, k);
      return [e, block && e === undefined] as const;
    };
    for (const k of Object.keys(after)) {
      const [e, unsetK] = child(k);
      out[k] = withUnknowns(after[k], u ? own(u, k) : undefined, e, unsetK);
    }
    if (u)
      for (const k of Object.keys(u))
        if (!(k in out) && u[k] !== false) {
          const [e, unsetK] = child(k);
          out[k] = withUnknowns(Array.isArray(u[k]) ? [] : isObj(u[k]) ? Object.create(null) : null, u[k], e, unsetK);
        }
    return out;
  }
  return after;
}

// ---- the plan -------------------------------------------------------------------------------

interface Instance {
  address: string;
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: number | string;
  values: Obj;
  action?: PlanAction;
}

function instanceHead(r: Obj, file: string, where: string): Omit<Instance, 'values' | 'action'> {
  const address = str(r, 'address', file, where);
  const mode = own(r, 'mode');
  if (mode !== 'managed' && mode !== 'data') throw new UserError(file, `${where}.mode must be "managed" or "data", found ${describe(mode)}`);
  const type = str(r, 'type', file, where);
  const name = str(r, 'name', file, where);
  const index = own(r, 'index');
  const module = own(r, 'module_address');
  return {
    address,
    mode,
    type,
    name,
    ...(typeof index === 'number' || typeof index === 'string' ? { index } : {}),
    ...(typeof module === 'string' && module ? { module } : {}),
  };
}

export function rawFromPlan(root: unknown, stack: string, file: string): { stack: StackInfo; nodes: Node[] } {
  if (!isObj(root)) throw new UserError(file, `not a Terraform plan: the top level is ${describe(root)}, not an object`);
  if (!looksLikePlan(root)) throw new UserError(file, 'not a Terraform plan (no format_version with planned_values, resource_changes or prior_state)');
  const version = own(root, 'format_version') as string;
  if (!/^1\./.test(version)) throw new UserError(file, `plan format_version ${version.slice(0, 20)} is not supported (1.x is)`);
  const config = indexConfiguration(obj(root, 'configuration', file, 'plan'), file);
  const seen = new Map<string, Instance>();
  const order: Instance[] = [];
  const add = (i: Instance) => {
    if (seen.has(i.address)) return;
    seen.set(i.address, i);
    order.push(i);
  };
  const configOf = (i: Omit<Instance, 'values' | 'action'>) => {
    const local = i.module ? i.address.slice(i.module.length + 1) : i.address;
    const c = config.resources.get(`${moduleKey(i.module)}\0${blockOf(local)}`);
    return c && isObj(own(c, 'expressions')) ? (own(c, 'expressions') as Obj) : undefined;
  };

  arr(root, 'resource_changes', file, 'plan').forEach((rc, n) => {
    const where = `resource_changes[${n}]`;
    if (!isObj(rc)) throw new UserError(file, `${where} must be an object, found ${describe(rc)}`);
    if (own(rc, 'deposed') !== undefined) return; // an older object being replaced; the current one is listed too
    const head = instanceHead(rc, file, where);
    const change = obj(rc, 'change', file, where);
    if (!change) throw new UserError(file, `${where}.change is missing`);
    const action = actionOf(arr(change, 'actions', file, `${where}.change`), file, where);
    let values: unknown;
    if (action === 'delete') values = own(change, 'before');
    else values = withUnknowns(own(change, 'after') ?? Object.create(null), own(change, 'after_unknown'), configOf(head));
    if (values !== null && values !== undefined && !isObj(values)) throw new UserError(file, `${where}.change.after must be an object, found ${describe(values)}`);
    add({ ...head, values: (values as Obj | null) ?? (Object.create(null) as Obj), action });
  });

  const fromModule = (mod: Obj | undefined, where: string) => {
    if (!mod) return;
    arr(mod, 'resources', file, where).forEach((r, n) => {
      const w = `${where}.resources[${n}]`;
      if (!isObj(r)) throw new UserError(file, `${w} must be an object, found ${describe(r)}`);
      const head = instanceHead(r, file, w);
      if (seen.has(head.address)) return;
      const values = obj(r, 'values', file, w) ?? (Object.create(null) as Obj);
      add({ ...head, values });
    });
    arr(mod, 'child_modules', file, where).forEach((c, n) => {
      if (!isObj(c)) throw new UserError(file, `${where}.child_modules[${n}] must be an object, found ${describe(c)}`);
      fromModule(c, `${where}.child_modules[${n}]`);
    });
  };
  const planned = obj(root, 'planned_values', file, 'plan');
  if (planned) fromModule(obj(planned, 'root_module', file, 'planned_values'), 'planned_values.root_module');
  const prior = obj(root, 'prior_state', file, 'plan');
  const priorValues = prior ? obj(prior, 'values', file, 'prior_state') : undefined;
  if (priorValues) fromModule(obj(priorValues, 'root_module', file, 'prior_state.values'), 'prior_state.values.root_module');
  // `terraform show -json` of a state (not a plan) has the same shape at the top level.
  const stateValues = obj(root, 'values', file, 'plan');
  if (stateValues) fromModule(obj(stateValues, 'root_module', file, 'values'), 'values.root_module');

  const nodes: Node[] = order.map((i) => {
    const node = new Node(stack, file, i.mode, i.type, i.name, i.address, blockOf(i.address), i.values);
    node.action = i.action;
    node.instanceKey = i.index;
    node.module = i.module;
    return node;
  });
  const info: StackInfo = { name: stack, file, kind: 'plan', ...(config.region ? { region: config.region } : {}) };
  return { stack: info, nodes };
}
