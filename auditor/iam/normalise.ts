/**
 * IAM policy documents → one normalised shape (PolicyDocument), whatever they were written as:
 * a JSON string, a parsed object, cdktf's `${jsonencode(...)}`, or the statement blocks of an
 * `aws_iam_policy_document` data source. Every list becomes an array, `Principal: "*"` becomes
 * `{ AWS: ['*'] }`, conditions become operator → key → string[].
 *
 * A reference (`${aws_s3_bucket.b.arn}/*`) stays a reference string: it names one resource, so it
 * is scoped. A value that is unknown and references nothing is left out and listed in
 * `statement.unknowns` — never turned into a wildcard.
 */
import { Unknown } from '../model/types';
import type { Conditions, PolicyDocument, PolicyStatement, Principal } from '../model/types';

type Field = NonNullable<PolicyStatement['unknowns']>[number]['field'];
type Obj = Record<string, unknown>;

export class PolicyProblem extends Error {}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** Case-insensitive key lookup (`Statement` / `statement`), own properties only. */
function key(o: Obj, name: string): unknown {
  const direct = own(o, name);
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** The statement keys as AWS spells them. */
const CANONICAL_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/**
 * Does the statement spell every key it has the way AWS does? Then a key that is not there under
 * its own spelling is not there at all, and `key`'s case-insensitive scan (a key list and a
 * lower-cased copy per absent field) can be skipped.
 */
function canonicallySpelled(o: Obj): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !CANONICAL_KEYS.has(k)) return false;
  return true;
}

type Unknowns = { field: Field; reason: string }[];

/**
 * The `unknowns` of the statement being read. One list reused for every statement (a statement is
 * read start to end without reading another) and copied out only when something was unknown:
 * most statements have nothing unknown, and then nothing is allocated for it.
 */
const UNKNOWNS: Unknowns = [];

/** No conditions: one frozen, prototype-free object shared by every statement without any. */
const NO_CONDITIONS: Conditions = Object.freeze(Object.create(null) as Record<string, Record<string, string[]>>);

type ListField = 'actions' | 'notActions' | 'resources' | 'notResources';

/**
 * Equal parts of the statements of one model, shared: statements are read-only, and what would
 * otherwise be a copy per statement lives to the end of the audit.
 * - One Conditions object per distinct content: many documents carry the same condition
 *   (`aws:SecureTransport`, `aws:SourceAccount`), and each read builds two prototype-free
 *   (dictionary) objects for it.
 * - One Action / NotAction list per distinct content: generated documents repeat the same lists,
 *   and one array per content also lets the IAM rules memoise per list (its expansion).
 */
export class StatementPool {
  private readonly byKey = new Map<string, Conditions>();
  /** Action lists by a hash of their content (a list of lists per hash, compared element by element). */
  private readonly lists = new Map<number, (readonly string[])[]>();
  /** One-element lists by their element. */
  private readonly singles = new Map<string, readonly string[]>();
  /** One-condition documents (`condition { test, variable, values }`) by test, then variable: found without building anything. */
  private readonly oneConditions = new Map<string, Map<string, { readonly values: readonly string[]; readonly conditions: Conditions }[]>>();

  share(c: Conditions): Conditions {
    const key = conditionsKey(c);
    const seen = this.byKey.get(key);
    if (seen !== undefined) return seen;
    this.byKey.set(key, c);
    return c;
  }

  /** `{ [test]: { [variable]: values } }`, shared (with the same conditions written any other way too). */
  one(test: string, variable: string, values: readonly string[]): Conditions {
    let byVariable = this.oneConditions.get(test);
    if (byVariable === undefined) this.oneConditions.set(test, (byVariable = new Map()));
    let list = byVariable.get(variable);
    if (list === undefined) byVariable.set(variable, (list = []));
    for (let i = 0; i < list.length; i++) if (sameStrings(list[i].values, values)) return list[i].conditions;
    const byKey = Object.create(null) as Record<string, readonly string[]>;
    byKey[variable] = values.slice();
    const made = Object.create(null) as Record<string, Record<string, readonly string[]>>;
    made[test] = byKey;
    const conditions = this.share(made);
    list.push({ values: byKey[variable], conditions });
    return conditions;
  }

  /** `[s]`, shared. */
  single(s: string): readonly string[] {
    let list = this.singles.get(s);
    if (list === undefined) this.singles.set(s, (list = [s]));
    return list;
  }

  /** A list of strings with the content of `strings` (itself never: the caller's array may change), shared. */
  list(strings: readonly string[]): readonly string[] {
    if (strings.length === 1) return this.single(strings[0]);
    const hash = hashStrings(strings);
    let candidates = this.lists.get(hash);
    if (candidates === undefined) this.lists.set(hash, (candidates = []));
    for (let i = 0; i < candidates.length; i++) if (sameStrings(candidates[i], strings)) return candidates[i];
    const copy = strings.slice();
    candidates.push(copy);
    return copy;
  }
}

/** A 32-bit hash of a list of strings (its length and every character), made without allocating. */
function hashStrings(strings: readonly string[]): number {
  let h = strings.length;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    h = (Math.imul(h, 31) + s.length) | 0;
    for (let k = 0; k < s.length; k++) h = (Math.imul(h, 31) + s.charCodeAt(k)) | 0;
  }
  return h;
}

/**
 * Conditions as text, operators and keys in their order: equal text means equal content read in
 * the same order. Each name and value is length-prefixed and tagged, so no text can pass for a
 * boundary. Written by hand: JSON.stringify takes its slow path on prototype-free objects.
 */
function conditionsKey(c: Conditions): string {
  let key = '';
  for (const op in c) {
    key += `o${op.length}:${op}`;
    const byKey = c[op];
    for (const k in byKey) {
      const values = byKey[k];
      key += `k${k.length}:${k}`;
      for (let i = 0; i < values.length; i++) key += `v${values[i].length}:${values[i]}`;
    }
  }
  return key;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export type Resolved = { document: PolicyDocument; unresolved?: undefined } | { document?: undefined; unresolved: string };

/** A parsed IAM JSON policy (object) → normalised document. Throws PolicyProblem when it is not one. */
export function normaliseJsonPolicy(doc: unknown, pool?: StatementPool): PolicyDocument {
  if (doc instanceof Unknown) throw new PolicyProblem(`the document is ${doc.reason}`);
  if (!isObj(doc)) throw new PolicyProblem('the document is not a JSON object');
  const st = key(doc, 'Statement');
  if (st === undefined) throw new PolicyProblem('the document has no Statement');
  if (st instanceof Unknown) throw new PolicyProblem(`Statement is ${st.reason}`);
  if (!Array.isArray(st)) return { statements: [jsonStatement(st, 0, pool)] };
  const statements: PolicyStatement[] = new Array(st.length);
  for (let i = 0; i < st.length; i++) statements[i] = jsonStatement(st[i], i, pool);
  return { statements };
}

function jsonStatement(s: unknown, i: number, pool: StatementPool | undefined): PolicyStatement {
  if (!isObj(s)) throw new PolicyProblem(`statement ${i} is not an object`);
  const unknowns = UNKNOWNS;
  unknowns.length = 0;
  const get = canonicallySpelled(s) ? own : key;
  const effect = effectOf(get(s, 'Effect'), i, unknowns);
  const conds = conditions(get(s, 'Condition'), unknowns);
  const sid = get(s, 'Sid');
  const actions = actionsOf(get(s, 'Action'), 'actions', unknowns, pool, false);
  const notActions = actionsOf(get(s, 'NotAction'), 'notActions', unknowns, pool, false);
  const resources = jsonList(get(s, 'Resource'), 'resources', unknowns);
  const notResources = jsonList(get(s, 'NotResource'), 'notResources', unknowns);
  const p = get(s, 'Principal');
  const pr = p !== undefined && p !== null ? principal(p, 'principal', unknowns) : undefined;
  const np = get(s, 'NotPrincipal');
  const npr = np !== undefined && np !== null ? principal(np, 'notPrincipal', unknowns) : undefined;
  return statement(typeof sid === 'string' ? sid : undefined, effect, actions, notActions, resources, notResources, pr || undefined, npr || undefined, shared(conds, pool), copyOf(unknowns));
}

/**
 * An Action / NotAction value as a list (as jsonList reads it, or blockList for a block), shared
 * through the pool when there is one: the usual literal string or list of strings is found there
 * without making a copy to throw away.
 */
function actionsOf(v: unknown, field: 'actions' | 'notActions', unknowns: Unknowns, pool: StatementPool | undefined, block: boolean): readonly string[] | undefined {
  if (pool !== undefined) {
    if (typeof v === 'string') return pool.single(v);
    if (Array.isArray(v) && v.length && allStrings(v)) return pool.list(v as string[]);
  }
  return block ? blockList(v, field, unknowns) : jsonList(v, field, unknowns);
}

/** Equal conditions as one object, when there is a pool. */
function shared(c: Conditions, pool: StatementPool | undefined): Conditions {
  return pool !== undefined && c !== NO_CONDITIONS ? pool.share(c) : c;
}

/** The statement's own copy of the reused `UNKNOWNS` list: undefined when nothing was unknown. */
function copyOf(unknowns: Unknowns): Unknowns | undefined {
  return unknowns.length ? unknowns.slice() : undefined;
}

function jsonList(v: unknown, field: ListField, unknowns: Unknowns): string[] | undefined {
  return v !== undefined && v !== null ? strings(v, field, unknowns) : undefined;
}

/**
 * Every statement in one shape: all fields in the same order, absent ones `undefined` rather than
 * missing. Statements added to field by field took one of many hidden classes (and a separate
 * property store for the fields added after the literal), so the rules' reads of them were
 * polymorphic; one literal makes them one object each with one map.
 */
function statement(
  sid: string | undefined,
  effect: 'Allow' | 'Deny',
  actions: readonly string[] | undefined,
  notActions: readonly string[] | undefined,
  resources: readonly string[] | undefined,
  notResources: readonly string[] | undefined,
  principal_: Principal | undefined,
  notPrincipal: Principal | undefined,
  conditions_: Conditions,
  unknowns: PolicyStatement['unknowns'],
): PolicyStatement {
  return { sid, effect, actions, notActions, resources, notResources, principal: principal_, notPrincipal, conditions: conditions_, unknowns };
}

function effectOf(v: unknown, i: number, unknowns: Unknowns): 'Allow' | 'Deny' {
  if (typeof v === 'string') {
    // The common spellings without lower-casing a copy.
    if (v === 'Allow') return 'Allow';
    if (v === 'Deny') return 'Deny';
    const l = v.toLowerCase();
    if (l === 'allow') return 'Allow';
    if (l === 'deny') return 'Deny';
    if (v.includes('${')) {
      // Unknown effect: assume Allow (the permissive reading) and say so.
      unknowns.push({ field: 'effect', reason: `Effect is ${v}` });
      return 'Allow';
    }
  }
  if (v instanceof Unknown) {
    unknowns.push({ field: 'effect', reason: `Effect is ${v.reason}` });
    return 'Allow';
  }
  throw new PolicyProblem(`statement ${i} has no Effect of Allow or Deny`);
}

/** One element of a string list: appended to `out`, or to `unknowns` when it is not a string. */
function pushString(x: unknown, out: string[], field: Field, unknowns: Unknowns): void {
  if (typeof x === 'string') out.push(x);
  else if (typeof x === 'number' || typeof x === 'boolean') out.push(String(x));
  else if (x instanceof Unknown) unknowns.push({ field, reason: x.reason });
  else if (x === null || x === undefined) return;
  else unknowns.push({ field, reason: `a ${Array.isArray(x) ? 'list' : 'map'} where a string was expected` });
}

/** A string or list of strings → string[]; Unknown elements go to `unknowns`. */
function strings(v: unknown, field: Field, unknowns: Unknowns): string[] {
  // The usual cases get an array of exactly their size: one grown by push reserves room for 17.
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && allStrings(v)) return v.slice() as string[];
  const out: string[] = [];
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) pushString(v[i], out, field, unknowns);
  else pushString(v, out, field, unknowns);
  return out;
}

function allStrings(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  return true;
}

/** `list` followed by `more`: `more` itself when there is nothing before it. */
function concat(list: readonly string[] | undefined, more: string[]): string[] {
  return list === undefined ? more : list.concat(more);
}

function principal(v: unknown, field: 'principal' | 'notPrincipal', unknowns: Unknowns): Principal | undefined {
  if (v === '*') return { AWS: ['*'] };
  if (v instanceof Unknown || typeof v === 'string') {
    unknowns.push({ field, reason: typeof v === 'string' ? `Principal is ${v}` : v.reason });
    return undefined;
  }
  if (!isObj(v)) throw new PolicyProblem('Principal must be "*" or an object');
  const out: { -readonly [K in keyof Principal]: string[] } = {};
  for (const k of Object.keys(v)) {
    const type = canonicalPrincipalType(k);
    if (!type) throw new PolicyProblem(`Principal has an unknown type '${k}'`);
    out[type] = concat(out[type], strings(v[k], field, unknowns));
  }
  return out;
}

function canonicalPrincipalType(k: string): keyof Principal | undefined {
  switch (k) {
    case 'AWS':
    case 'Service':
    case 'Federated':
    case 'CanonicalUser':
      return k;
  }
  switch (k.toLowerCase()) {
    case 'aws':
      return 'AWS';
    case 'service':
      return 'Service';
    case 'federated':
      return 'Federated';
    case 'canonicaluser':
      return 'CanonicalUser';
    default:
      return undefined;
  }
}

function conditions(v: unknown, unknowns: Unknowns): Conditions {
  if (v === undefined || v === null) return NO_CONDITIONS;
  if (v instanceof Unknown) {
    unknowns.push({ field: 'conditions', reason: v.reason });
    return NO_CONDITIONS;
  }
  if (!isObj(v)) throw new PolicyProblem('Condition must be an object');
  let out: Record<string, Record<string, string[]>> | undefined;
  for (const op of Object.keys(v)) {
    const byKey = v[op];
    if (byKey instanceof Unknown) {
      unknowns.push({ field: 'conditions', reason: byKey.reason });
      continue;
    }
    if (!isObj(byKey)) throw new PolicyProblem(`Condition ${op} must be an object`);
    out ??= Object.create(null) as Record<string, Record<string, string[]>>;
    // Prototype-free, so an operator or key named `__proto__` is just a key.
    const target = (out[op] ??= Object.create(null) as Record<string, string[]>);
    for (const k of Object.keys(byKey)) target[k] = concat(target[k], strings(byKey[k], 'conditions', unknowns));
  }
  return out ?? NO_CONDITIONS;
}

// ---- aws_iam_policy_document ------------------------------------------------------------

/**
 * Statement blocks of an `aws_iam_policy_document` data source (config or planned values) →
 * statements. Merging with source/override documents is done by the caller, which can resolve them.
 */
export function dataSourceStatements(values: Obj, pool?: StatementPool): PolicyStatement[] {
  const blocks = own(values, 'statement');
  if (blocks === undefined || blocks === null) return [];
  if (blocks instanceof Unknown) throw new PolicyProblem(`statement is ${blocks.reason}`);
  if (!Array.isArray(blocks)) return [blockStatementAt(blocks, 0, pool)];
  const out: PolicyStatement[] = new Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) out[i] = blockStatementAt(blocks[i], i, pool);
  return out;
}

function blockStatementAt(b: unknown, i: number, pool: StatementPool | undefined): PolicyStatement {
  if (b instanceof Unknown) throw new PolicyProblem(`statement ${i} is ${b.reason}`);
  if (!isObj(b)) throw new PolicyProblem(`statement ${i} is not a block`);
  return blockStatement(b, i, pool);
}

function blockStatement(b: Obj, i: number, pool: StatementPool | undefined): PolicyStatement {
  const unknowns = UNKNOWNS;
  unknowns.length = 0;
  const effectRaw = own(b, 'effect');
  const effect = effectRaw === undefined || effectRaw === null || effectRaw === '' ? 'Allow' : effectOf(effectRaw, i, unknowns);
  const sid = own(b, 'sid');
  const actions = actionsOf(own(b, 'actions'), 'actions', unknowns, pool, true);
  const notActions = actionsOf(own(b, 'not_actions'), 'notActions', unknowns, pool, true);
  const resources = blockList(own(b, 'resources'), 'resources', unknowns);
  const notResources = blockList(own(b, 'not_resources'), 'notResources', unknowns);
  const pr = principalBlocks(own(b, 'principals'), 'principals', 'principal', i, unknowns);
  const npr = principalBlocks(own(b, 'not_principals'), 'not_principals', 'notPrincipal', i, unknowns);
  return statement(typeof sid === 'string' && sid ? sid : undefined, effect, actions, notActions, resources, notResources, pr, npr, blockConditions(own(b, 'condition'), i, unknowns, pool), copyOf(unknowns));
}

/** A block's `condition` blocks as Conditions (shared through `pool` when there is one). */
function blockConditions(cv: unknown, i: number, unknowns: Unknowns, pool: StatementPool | undefined): Conditions {
  if (cv === undefined || cv === null) return NO_CONDITIONS;
  // The usual one `condition { test, variable, values }` with literal strings: found in the pool without building it.
  const one = Array.isArray(cv) ? (cv.length === 1 ? cv[0] : undefined) : cv;
  if (pool !== undefined && isObj(one)) {
    const test = own(one, 'test');
    const variable = own(one, 'variable');
    const values = own(one, 'values');
    if (typeof test === 'string' && typeof variable === 'string' && Array.isArray(values) && allStrings(values)) return pool.one(test, variable, values as string[]);
  }
  const cond = Object.create(null) as Record<string, Record<string, string[]>>;
  if (Array.isArray(cv)) for (let k = 0; k < cv.length; k++) conditionBlock(cv[k], i, cond, unknowns);
  else conditionBlock(cv, i, cond, unknowns);
  return shared(cond, pool);
}

/** A block's list attribute; an empty list stands for an absent one (Terraform's empty default). */
function blockList(v: unknown, field: ListField, unknowns: Unknowns): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = strings(v, field, unknowns);
  return list.length || !Array.isArray(v) || v.length ? list : undefined;
}

function principalBlocks(v: unknown, tf: 'principals' | 'not_principals', field: 'principal' | 'notPrincipal', i: number, unknowns: Unknowns): Principal | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && !v.length) return undefined;
  const out: { -readonly [K in keyof Principal]: string[] } = {};
  if (Array.isArray(v)) for (let k = 0; k < v.length; k++) principalBlock(v[k], tf, field, i, out, unknowns);
  else principalBlock(v, tf, field, i, out, unknowns);
  return out;
}

/** One `principals { type, identifiers }` block, added to `out`. */
function principalBlock(p: unknown, tf: string, field: 'principal' | 'notPrincipal', i: number, out: { -readonly [K in keyof Principal]: string[] }, unknowns: Unknowns): void {
  if (p instanceof Unknown) {
    unknowns.push({ field, reason: p.reason });
    return;
  }
  if (!isObj(p)) throw new PolicyProblem(`statement ${i} ${tf} is not a block`);
  const typeRaw = own(p, 'type');
  const idsRaw = own(p, 'identifiers');
  const ids = idsRaw === undefined || idsRaw === null ? [] : strings(idsRaw, field, unknowns);
  if (typeRaw === '*') {
    // Terraform: type "*" with identifiers ["*"] means everyone, rendered as Principal "*".
    out.AWS = concat(out.AWS, ids);
    return;
  }
  if (typeof typeRaw !== 'string') {
    unknowns.push({ field, reason: `principal type is ${typeRaw instanceof Unknown ? typeRaw.reason : 'not a string'}` });
    return;
  }
  const type = canonicalPrincipalType(typeRaw);
  if (!type) throw new PolicyProblem(`statement ${i} has an unknown principal type '${typeRaw}'`);
  out[type] = concat(out[type], ids);
}

/** One `condition { test, variable, values }` block, added to `cond`. */
function conditionBlock(c: unknown, i: number, cond: Record<string, Record<string, string[]>>, unknowns: Unknowns): void {
  if (c instanceof Unknown) {
    unknowns.push({ field: 'conditions', reason: c.reason });
    return;
  }
  if (!isObj(c)) throw new PolicyProblem(`statement ${i} condition is not a block`);
  const test = own(c, 'test');
  const variable = own(c, 'variable');
  if (typeof test !== 'string' || typeof variable !== 'string') {
    unknowns.push({ field: 'conditions', reason: 'condition test or variable is not a literal' });
    return;
  }
  const byKey = (cond[test] ??= Object.create(null) as Record<string, string[]>);
  const values = own(c, 'values');
  byKey[variable] = concat(byKey[variable], values === undefined || values === null ? [] : strings(values, 'conditions', unknowns));
}

/**
 * Terraform's merge for aws_iam_policy_document: source documents' statements first; this
 * document's statements replace source statements with the same non-empty sid; then override
 * documents' statements replace statements with the same sid or are appended.
 */
export function mergeStatements(sources: readonly (readonly PolicyStatement[])[], own_: readonly PolicyStatement[], overrides: readonly (readonly PolicyStatement[])[]): readonly PolicyStatement[] {
  // Nothing to merge with and no sid twice: the document's own statements are the result.
  if (!sources.length && !overrides.length && !repeatsSid(own_)) return own_;
  const result: PolicyStatement[] = [];
  for (let d = 0; d < sources.length; d++) for (let k = 0; k < sources[d].length; k++) put(result, sources[d][k]);
  for (let k = 0; k < own_.length; k++) put(result, own_[k]);
  for (let d = 0; d < overrides.length; d++) for (let k = 0; k < overrides[d].length; k++) put(result, overrides[d][k]);
  return result;
}

function repeatsSid(statements: readonly PolicyStatement[]): boolean {
  for (let i = 1; i < statements.length; i++) {
    const sid = statements[i].sid;
    if (sid) for (let k = 0; k < i; k++) if (statements[k].sid === sid) return true;
  }
  return false;
}

/** Replace the statement with the same non-empty sid, or append. */
function put(result: PolicyStatement[], s: PolicyStatement): void {
  if (s.sid) {
    for (let r = 0; r < result.length; r++) {
      if (result[r].sid === s.sid) {
        result[r] = s;
        return;
      }
    }
  }
  result.push(s);
}
