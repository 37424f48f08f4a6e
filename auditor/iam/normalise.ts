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

export type Resolved = { document: PolicyDocument; unresolved?: undefined } | { document?: undefined; unresolved: string };

/** A parsed IAM JSON policy (object) → normalised document. Throws PolicyProblem when it is not one. */
export function normaliseJsonPolicy(doc: unknown): PolicyDocument {
  if (doc instanceof Unknown) throw new PolicyProblem(`the document is ${doc.reason}`);
  if (!isObj(doc)) throw new PolicyProblem('the document is not a JSON object');
  const st = key(doc, 'Statement');
  if (st === undefined) throw new PolicyProblem('the document has no Statement');
  if (st instanceof Unknown) throw new PolicyProblem(`Statement is ${st.reason}`);
  const list = Array.isArray(st) ? st : [st];
  return { statements: list.map((s, i) => jsonStatement(s, i)) };
}

function jsonStatement(s: unknown, i: number): PolicyStatement {
  if (!isObj(s)) throw new PolicyProblem(`statement ${i} is not an object`);
  const unknowns: { field: Field; reason: string }[] = [];
  const effectRaw = key(s, 'Effect');
  const effect = effectOf(effectRaw, i, unknowns);
  const st: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { effect, conditions: conditions(key(s, 'Condition'), unknowns) };
  const sid = key(s, 'Sid');
  if (typeof sid === 'string') st.sid = sid;
  const fields: [string, 'actions' | 'notActions' | 'resources' | 'notResources'][] = [
    ['Action', 'actions'],
    ['NotAction', 'notActions'],
    ['Resource', 'resources'],
    ['NotResource', 'notResources'],
  ];
  for (const [json, field] of fields) {
    const v = key(s, json);
    if (v !== undefined && v !== null) st[field] = strings(v, field, unknowns);
  }
  const p = key(s, 'Principal');
  if (p !== undefined && p !== null) {
    const pr = principal(p, 'principal', unknowns);
    if (pr) st.principal = pr;
  }
  const np = key(s, 'NotPrincipal');
  if (np !== undefined && np !== null) {
    const pr = principal(np, 'notPrincipal', unknowns);
    if (pr) st.notPrincipal = pr;
  }
  if (unknowns.length) st.unknowns = unknowns;
  return st;
}

function effectOf(v: unknown, i: number, unknowns: { field: Field; reason: string }[]): 'Allow' | 'Deny' {
  if (typeof v === 'string') {
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

/** A string or list of strings → string[]; Unknown elements go to `unknowns`. */
function strings(v: unknown, field: Field, unknowns: { field: Field; reason: string }[]): string[] {
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const x of list) {
    if (typeof x === 'string') out.push(x);
    else if (typeof x === 'number' || typeof x === 'boolean') out.push(String(x));
    else if (x instanceof Unknown) unknowns.push({ field, reason: x.reason });
    else if (x === null || x === undefined) continue;
    else unknowns.push({ field, reason: `a ${Array.isArray(x) ? 'list' : 'map'} where a string was expected` });
  }
  return out;
}

function principal(v: unknown, field: 'principal' | 'notPrincipal', unknowns: { field: Field; reason: string }[]): Principal | undefined {
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
    out[type] = [...(out[type] ?? []), ...strings(v[k], field, unknowns)];
  }
  return out;
}

function canonicalPrincipalType(k: string): keyof Principal | undefined {
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

function conditions(v: unknown, unknowns: { field: Field; reason: string }[]): Conditions {
  const out = Object.create(null) as Record<string, Record<string, string[]>>;
  if (v === undefined || v === null) return out;
  if (v instanceof Unknown) {
    unknowns.push({ field: 'conditions', reason: v.reason });
    return out;
  }
  if (!isObj(v)) throw new PolicyProblem('Condition must be an object');
  for (const op of Object.keys(v)) {
    const byKey = v[op];
    if (byKey instanceof Unknown) {
      unknowns.push({ field: 'conditions', reason: byKey.reason });
      continue;
    }
    if (!isObj(byKey)) throw new PolicyProblem(`Condition ${op} must be an object`);
    const target = (out[op] ??= Object.create(null) as Record<string, string[]>);
    for (const k of Object.keys(byKey)) target[k] = [...(target[k] ?? []), ...strings(byKey[k], 'conditions', unknowns)];
  }
  return out;
}

// ---- aws_iam_policy_document ------------------------------------------------------------

/**
 * Statement blocks of an `aws_iam_policy_document` data source (config or planned values) →
 * statements. Merging with source/override documents is done by the caller, which can resolve them.
 */
export function dataSourceStatements(values: Obj): PolicyStatement[] {
  const blocks = own(values, 'statement');
  if (blocks === undefined || blocks === null) return [];
  if (blocks instanceof Unknown) throw new PolicyProblem(`statement is ${blocks.reason}`);
  const list = Array.isArray(blocks) ? blocks : [blocks];
  return list.map((b, i) => {
    if (b instanceof Unknown) throw new PolicyProblem(`statement ${i} is ${b.reason}`);
    if (!isObj(b)) throw new PolicyProblem(`statement ${i} is not a block`);
    return blockStatement(b, i);
  });
}

function blockStatement(b: Obj, i: number): PolicyStatement {
  const unknowns: { field: Field; reason: string }[] = [];
  const effectRaw = own(b, 'effect');
  const effect = effectRaw === undefined || effectRaw === null || effectRaw === '' ? 'Allow' : effectOf(effectRaw, i, unknowns);
  const st: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { effect, conditions: Object.create(null) };
  const sid = own(b, 'sid');
  if (typeof sid === 'string' && sid) st.sid = sid;
  const fields: [string, 'actions' | 'notActions' | 'resources' | 'notResources'][] = [
    ['actions', 'actions'],
    ['not_actions', 'notActions'],
    ['resources', 'resources'],
    ['not_resources', 'notResources'],
  ];
  for (const [tf, field] of fields) {
    const v = own(b, tf);
    if (v === undefined || v === null) continue;
    const list = strings(v, field, unknowns);
    if (list.length || !Array.isArray(v) || v.length) st[field] = list;
  }
  for (const [tf, field] of [['principals', 'principal'], ['not_principals', 'notPrincipal']] as const) {
    const v = own(b, tf);
    if (v === undefined || v === null) continue;
    const blocks = Array.isArray(v) ? v : [v];
    if (!blocks.length) continue;
    const out: { -readonly [K in keyof Principal]: string[] } = {};
    for (const p of blocks) {
      if (p instanceof Unknown) {
        unknowns.push({ field, reason: p.reason });
        continue;
      }
      if (!isObj(p)) throw new PolicyProblem(`statement ${i} ${tf} is not a block`);
      const typeRaw = own(p, 'type');
      const ids = strings(own(p, 'identifiers') ?? [], field, unknowns);
      if (typeRaw === '*') {
        // Terraform: type "*" with identifiers ["*"] means everyone, rendered as Principal "*".
        out.AWS = [...(out.AWS ?? []), ...ids];
        continue;
      }
      if (typeof typeRaw !== 'string') {
        unknowns.push({ field, reason: `principal type is ${typeRaw instanceof Unknown ? typeRaw.reason : 'not a string'}` });
        continue;
      }
      const type = canonicalPrincipalType(typeRaw);
      if (!type) throw new PolicyProblem(`statement ${i} has an unknown principal type '${typeRaw}'`);
      out[type] = [...(out[type] ?? []), ...ids];
    }
    st[field] = out;
  }
  const cond = Object.create(null) as Record<string, Record<string, string[]>>;
  const cv = own(b, 'condition');
  if (cv !== undefined && cv !== null) {
    for (const c of Array.isArray(cv) ? cv : [cv]) {
      if (c instanceof Unknown) {
        unknowns.push({ field: 'conditions', reason: c.reason });
        continue;
      }
      if (!isObj(c)) throw new PolicyProblem(`statement ${i} condition is not a block`);
      const test = own(c, 'test');
      const variable = own(c, 'variable');
      if (typeof test !== 'string' || typeof variable !== 'string') {
        unknowns.push({ field: 'conditions', reason: 'condition test or variable is not a literal' });
        continue;
      }
      const byKey = (cond[test] ??= Object.create(null) as Record<string, string[]>);
      byKey[variable] = [...(byKey[variable] ?? []), ...strings(own(c, 'values') ?? [], 'conditions', unknowns)];
    }
  }
  st.conditions = cond;
  if (unknowns.length) st.unknowns = unknowns;
  return st;
}

/**
 * Terraform's merge for aws_iam_policy_document: source documents' statements first; this
 * document's statements replace source statements with the same non-empty sid; then override
 * documents' statements replace statements with the same sid or are appended.
 */
export function mergeStatements(sources: readonly PolicyStatement[][], own_: readonly PolicyStatement[], overrides: readonly PolicyStatement[][]): PolicyStatement[] {
  const result: PolicyStatement[] = [];
  const put = (s: PolicyStatement) => {
    const at = s.sid ? result.findIndex((r) => r.sid === s.sid) : -1;
    if (at >= 0) result[at] = s;
    else result.push(s);
  };
  for (const src of sources) for (const s of src) put(s);
  for (const s of own_) put(s);
  for (const o of overrides) for (const s of o) put(s);
  return result;
}
