/**
 * What the IAM rules share: which documents exist and where a finding about them belongs, each
 * statement's allowed actions after wildcard expansion, whether its resources are scoped, and each
 * principal's combined permissions. Everything is computed once per model (WeakMap memoisation;
 * no I/O), so twenty rules over the same model cost one expansion.
 */
import type { PolicyDocument, PolicyStatement, PolicyView, PrincipalView, ResourceModel, ResourceNode } from '../../../auditor/model/types';
import type { IamCatalog } from '../../context';
import { wildcardMatch } from '../../../auditor/iam/expand';
import { ActionSet, bitsOf, fromBits, fromSet, universeOf } from './action-sets';

// ---- documents --------------------------------------------------------------------------

export interface DocRef {
  /** Where findings about this document are reported: the resource that defines it, else the principal. */
  readonly node: ResourceNode;
  readonly policy: PolicyView;
  readonly document: PolicyDocument;
  /** The principals this document applies to (identity policies only). */
  readonly principals: readonly PrincipalView[];
}

interface Documents {
  readonly identity: readonly DocRef[];
  readonly trust: readonly DocRef[];
  readonly resource: readonly DocRef[];
  readonly unresolved: readonly { readonly node: ResourceNode; readonly policy: PolicyView }[];
}

const documentsCache = new WeakMap<ResourceModel, Documents>();

function docKey(policy: PolicyView, fallback: ResourceNode): string {
  return `${policy.kind}|${policy.source?.id ?? fallback.id}|${policy.name}`;
}

/** Identity, trust and resource-policy documents of the model, each once (a managed policy attached to three roles is one document). */
export function documents(model: ResourceModel): Documents {
  let docs = documentsCache.get(model);
  if (docs) return docs;
  const identity = new Map<string, { node: ResourceNode; policy: PolicyView; document: PolicyDocument; principals: PrincipalView[] }>();
  const trust: DocRef[] = [];
  const resource: DocRef[] = [];
  const unresolved = new Map<string, { node: ResourceNode; policy: PolicyView }>();
  for (const p of model.principals()) {
    for (const policy of p.policies) {
      const node = policy.source ?? p.node;
      const key = docKey(policy, p.node);
      if (!policy.document) {
        if (!unresolved.has(key)) unresolved.set(key, { node, policy });
        continue;
      }
      const entry = identity.get(key);
      if (entry) entry.principals.push(p);
      else identity.set(key, { node, policy, document: policy.document, principals: [p] });
    }
    if (p.trust) {
      const key = docKey(p.trust, p.node);
      if (p.trust.document) trust.push({ node: p.node, policy: p.trust, document: p.trust.document, principals: [p] });
      else if (!unresolved.has(key)) unresolved.set(key, { node: p.node, policy: p.trust });
    }
  }
  const seenResource = new Set<string>();
  for (const { target, policy } of model.resourcePolicies()) {
    const node = policy.source ?? target;
    if (!node) continue;
    const key = docKey(policy, node);
    if (seenResource.has(key)) continue;
    seenResource.add(key);
    if (policy.document) resource.push({ node, policy, document: policy.document, principals: [] });
    else if (!unresolved.has(key)) unresolved.set(key, { node, policy });
  }
  docs = { identity: [...identity.values()], trust, resource, unresolved: [...unresolved.values()] };
  documentsCache.set(model, docs);
  return docs;
}

// ---- resources --------------------------------------------------------------------------

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;

/**
 * Is this Resource element effectively "every resource"? `*`, an ARN whose service is `*`, or an
 * ARN whose resource part is only a wildcard (optionally after a resource-type prefix:
 * `arn:aws:s3:::*`, `arn:aws:iam::123456789012:role/*`). References (`${aws_s3_bucket.a.arn}/*`)
 * and values known only after apply are scoped.
 */
export function isUnscopedResource(resource: string): boolean {
  if (resource === '*') return true;
  if (resource.includes('${')) return false;
  const m = ARN.exec(resource);
  if (!m) return false;
  const service = m[2];
  const rest = m[5];
  if (service === '*') return true;
  // S3 bucket and object ARNs have no resource-type prefix: `arn:aws:s3:::bucket/*` is that bucket's
  // objects, scoped; only a wildcard-only bucket name (`arn:aws:s3:::*`, `arn:aws:s3:::*/*`) is every bucket.
  if (service.toLowerCase() === 's3' && m[3] === '' && m[4] === '') return /^\*+$/.test(rest.split('/')[0]);
  return /^([A-Za-z0-9_.-]+[/:])?\*+$/.test(rest);
}

// ---- statements -------------------------------------------------------------------------

export interface PatternExpansion {
  /** As written in the policy. */
  readonly pattern: string;
  /** Canonical actions it matches (empty: unknown action or service). */
  readonly actions: readonly string[];
}

export interface StatementFacts {
  readonly statement: PolicyStatement;
  readonly index: number;
  /** `Sid` or `#<n>` (1-based), for messages. */
  readonly label: string;
  readonly allow: boolean;
  /** Action patterns (Action or NotAction) with their expansion; patterns holding references are left out. */
  readonly patterns: readonly PatternExpansion[];
  /** The actions this statement grants (Allow) or denies (Deny): expansion of Action, or the complement of NotAction. */
  readonly actions: readonly string[];
  /** Resource is `*`-like, or NotResource is used. */
  readonly unscoped: boolean;
  readonly hasConditions: boolean;
}

const statementCache = new WeakMap<PolicyStatement, StatementFacts>();

function isActionLiteral(a: string): boolean {
  return !a.includes('${') && !a.startsWith('(');
}

export function labelOf(s: PolicyStatement, index: number): string {
  return s.sid ? `"${s.sid}"` : `#${index + 1}`;
}

interface Expansion {
  readonly patterns: readonly PatternExpansion[];
  readonly actions: readonly string[];
}

const expansionCache = new WeakMap<IamCatalog, Map<string, Expansion>>();

/**
 * The expansion of one Action / NotAction list, memoised by its text: the same list in a
 * thousand generated roles is expanded and de-duplicated once, and shares one array (which
 * keeps the per-array caches of bitsets and buckets effective).
 */
function expansionOf(iam: IamCatalog, kind: 'Action' | 'NotAction' | 'none', raw: readonly string[]): Expansion {
  let cache = expansionCache.get(iam);
  if (!cache) {
    cache = new Map();
    expansionCache.set(iam, cache);
  }
  const key = `${kind}\n${raw.join('\n').toLowerCase()}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const patterns = raw.map((pattern) => ({ pattern, actions: iam.expand(pattern) }));
  let actions: readonly string[];
  if (kind === 'Action') {
    if (patterns.length === 1) actions = patterns[0].actions; // the catalog's shared expansion, no copy
    else {
      const set = new Set<string>();
      for (const p of patterns) for (const a of p.actions) set.add(a);
      actions = [...set];
    }
  } else if (kind === 'NotAction') {
    const excluded = new Set<string>();
    for (const p of patterns) for (const a of p.actions) excluded.add(a);
    actions = iam.expand('*').filter((a) => !excluded.has(a));
  } else {
    actions = [];
  }
  const result = { patterns, actions };
  if (cache.size > 50_000) cache.clear();
  cache.set(key, result);
  return result;
}

export function statementFacts(statement: PolicyStatement, index: number, iam: IamCatalog): StatementFacts {
  const cached = statementCache.get(statement);
  if (cached) return cached;
  const raw = (statement.actions ?? statement.notActions ?? []).filter(isActionLiteral);
  const { patterns, actions } = expansionOf(iam, statement.actions ? 'Action' : statement.notActions ? 'NotAction' : 'none', raw);
  const unscoped = statement.notResources !== undefined || (statement.resources ?? []).some(isUnscopedResource);
  const facts: StatementFacts = {
    statement,
    index,
    label: labelOf(statement, index),
    allow: statement.effect === 'Allow',
    patterns,
    actions,
    unscoped,
    hasConditions: Object.keys(statement.conditions ?? {}).length > 0,
  };
  statementCache.set(statement, facts);
  return facts;
}

/** Does the statement's Action (or NotAction complement) cover this canonical action? Cheap for "*". */
export function grants(facts: StatementFacts, action: string): boolean {
  if (facts.statement.actions) return facts.patterns.some((p) => wildcardMatch(p.pattern, action));
  if (facts.statement.notActions) return facts.actions.includes(action);
  return false;
}

/** Every statement of every identity document, with its facts. */
export function identityStatements(model: ResourceModel, iam: IamCatalog): readonly { readonly doc: DocRef; readonly facts: StatementFacts }[] {
  const out: { doc: DocRef; facts: StatementFacts }[] = [];
  for (const doc of documents(model).identity) {
    doc.document.statements.forEach((s, i) => out.push({ doc, facts: statementFacts(s, i, iam) }));
  }
  return out;
}

/** An action is "restrictable" when it supports resource-level permissions (it is not wildcard-only). */
export function isRestrictable(iam: IamCatalog, action: string): boolean {
  return iam.resourceTypes(action).length > 0;
}

// ---- principals -------------------------------------------------------------------------

export interface PrincipalPermissions {
  /** Every action some Allow statement grants, minus those an unconditional Deny on every resource removes. */
  readonly allowed: ActionSet;
  /** The subset granted on every resource (`*`-like Resource or NotResource). */
  readonly unscoped: ActionSet;
  /** Documents that could not be resolved (their permissions are not counted). */
  readonly unresolved: number;
}

const principalCache = new WeakMap<PrincipalView, PrincipalPermissions>();

/** Below this many granted actions (before de-duplication) plain Sets are cheaper than bitsets. */
const BITSET_THRESHOLD = 2000;

const signatureCache = new WeakMap<IamCatalog, Map<string, PrincipalPermissions>>();

/** What decides a principal's permissions, as text: principals with the same grants share one result. */
function signatureOf(allows: readonly StatementFacts[], denies: readonly StatementFacts[], unresolved: number): string {
  const part = (f: StatementFacts) => `${f.unscoped ? '*' : ''}${f.statement.actions ? 'A' : 'N'}:${f.patterns.map((x) => x.pattern).join(',')}`;
  return `${unresolved}|${allows.map(part).join(';')}|${denies.map(part).join(';')}`.toLowerCase();
}

export function principalPermissions(p: PrincipalView, iam: IamCatalog): PrincipalPermissions {
  const cached = principalCache.get(p);
  if (cached) return cached;
  const allows: StatementFacts[] = [];
  const denies: StatementFacts[] = [];
  let unresolved = 0;
  let volume = 0;
  for (const policy of p.policies) {
    if (!policy.document) {
      unresolved++;
      continue;
    }
    policy.document.statements.forEach((s, i) => {
      const f = statementFacts(s, i, iam);
      if (f.allow) {
        allows.push(f);
        volume += f.actions.length;
      } else if (!f.hasConditions && (s.resources ?? []).includes('*') && !s.notResources) {
        denies.push(f);
      }
    });
  }
  let bySignature = signatureCache.get(iam);
  if (!bySignature) {
    bySignature = new Map();
    signatureCache.set(iam, bySignature);
  }
  const signature = signatureOf(allows, denies, unresolved);
  const shared = bySignature.get(signature);
  if (shared) {
    principalCache.set(p, shared);
    return shared;
  }
  let result: PrincipalPermissions;
  if (volume < BITSET_THRESHOLD) {
    const allowed = new Set<string>();
    const unscoped = new Set<string>();
    for (const f of allows) {
      for (const a of f.actions) {
        allowed.add(a);
        if (f.unscoped) unscoped.add(a);
      }
    }
    for (const f of denies) {
      for (const a of f.actions) {
        allowed.delete(a);
        unscoped.delete(a);
      }
    }
    result = { allowed: fromSet(allowed, iam), unscoped: fromSet(unscoped, iam), unresolved };
  } else {
    const u = universeOf(iam);
    const allowed = new Uint32Array(u.words);
    const unscoped = new Uint32Array(u.words);
    for (const f of allows) {
      const bits = bitsOf(u, f.actions);
      for (let w = 0; w < u.words; w++) allowed[w] |= bits[w];
      if (f.unscoped) for (let w = 0; w < u.words; w++) unscoped[w] |= bits[w];
    }
    for (const f of denies) {
      const bits = bitsOf(u, f.actions);
      for (let w = 0; w < u.words; w++) {
        allowed[w] &= ~bits[w];
        unscoped[w] &= ~bits[w];
      }
    }
    result = { allowed: fromBits(allowed, u), unscoped: fromBits(unscoped, u), unresolved };
  }
  principalCache.set(p, result);
  if (bySignature.size > 10_000) bySignature.clear();
  bySignature.set(signature, result);
  return result;
}

/** The first few items of a list, for messages. */
export function sample(items: readonly string[], n = 5): string {
  if (items.length <= n) return items.join(', ');
  return `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
