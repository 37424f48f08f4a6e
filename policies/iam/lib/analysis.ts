/**
 * What the IAM rules share: which documents exist and where a finding about them belongs, each
 * statement's allowed actions after wildcard expansion, whether its resources are scoped, and each
 * principal's combined permissions. Everything is computed once per model (WeakMap memoisation;
 * no I/O), so twenty rules over the same model cost one expansion.
 */
import type { PolicyDocument, PolicyStatement, PolicyView, PrincipalView, ResourceModel, ResourceNode } from '../../../auditor/model/types';
import type { IamCatalog } from '../../context';

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

export function statementFacts(statement: PolicyStatement, index: number, iam: IamCatalog): StatementFacts {
  const cached = statementCache.get(statement);
  if (cached) return cached;
  const raw = statement.actions ?? statement.notActions ?? [];
  const patterns = raw.filter(isActionLiteral).map((pattern) => ({ pattern, actions: iam.expand(pattern) }));
  let actions: readonly string[];
  if (statement.actions) {
    const set = new Set<string>();
    for (const p of patterns) for (const a of p.actions) set.add(a);
    actions = [...set];
  } else if (statement.notActions) {
    const excluded = new Set<string>();
    for (const p of patterns) for (const a of p.actions) excluded.add(a);
    actions = iam.expand('*').filter((a) => !excluded.has(a));
  } else {
    actions = [];
  }
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
  readonly allowed: ReadonlySet<string>;
  /** The subset granted on every resource (`*`-like Resource or NotResource). */
  readonly unscoped: ReadonlySet<string>;
  /** Documents that could not be resolved (their permissions are not counted). */
  readonly unresolved: number;
}

const principalCache = new WeakMap<PrincipalView, PrincipalPermissions>();

export function principalPermissions(p: PrincipalView, iam: IamCatalog): PrincipalPermissions {
  const cached = principalCache.get(p);
  if (cached) return cached;
  const allowed = new Set<string>();
  const unscoped = new Set<string>();
  const denied = new Set<string>();
  let unresolved = 0;
  for (const policy of p.policies) {
    if (!policy.document) {
      unresolved++;
      continue;
    }
    policy.document.statements.forEach((s, i) => {
      const f = statementFacts(s, i, iam);
      if (f.allow) {
        for (const a of f.actions) {
          allowed.add(a);
          if (f.unscoped) unscoped.add(a);
        }
      } else if (!f.hasConditions && (s.resources ?? []).includes('*') && !s.notResources) {
        for (const a of f.actions) denied.add(a);
      }
    });
  }
  for (const a of denied) {
    allowed.delete(a);
    unscoped.delete(a);
  }
  const result = { allowed, unscoped, unresolved };
  principalCache.set(p, result);
  return result;
}

/** The first few items of a list, for messages. */
export function sample(items: readonly string[], n = 5): string {
  if (items.length <= n) return items.join(', ');
  return `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
