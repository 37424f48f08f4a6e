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

/**
 * Everything memoised for one model, in one entry: its documents, and what was derived from them
 * with one IAM catalog (statement facts per document, the identity statements, each principal's
 * permissions). Asked with another catalog, the derived part starts over.
 */
interface ModelMemo {
  documents?: Documents;
  derived?: Derived;
}

interface Derived {
  readonly iam: IamCatalog;
  /**
   * Facts per document: each statement's facts know where it sits in that document (a statement
   * object can sit in two: an `aws_iam_policy_document` merged into another, one document text
   * used twice). A plain Map rather than a WeakMap keyed by every document: weak entries cost the
   * collector work at every young-generation pass.
   */
  readonly byDocument: Map<PolicyDocument, readonly StatementFacts[]>;
  /**
   * The expansion of each Action and NotAction list object: the model's statements share one
   * list per content (see StatementPool), so most are found here without building their memo key.
   * Valid for one generation of the catalog's expansion memo.
   */
  readonly byList: { readonly Action: Map<readonly string[], Expansion>; readonly NotAction: Map<readonly string[], Expansion>; generation: number };
  identity?: readonly IdentityStatement[];
  permissions?: readonly PrincipalPermissions[];
}

const memos = new WeakMap<ResourceModel, ModelMemo>();

function memoOf(model: ResourceModel): ModelMemo {
  let memo = memos.get(model);
  if (memo === undefined) {
    memo = { documents: undefined, derived: undefined };
    memos.set(model, memo);
  }
  return memo;
}

/** The model's memo of what was derived with `iam`. */
function derivedOf(model: ResourceModel, iam: IamCatalog): Derived {
  const memo = memoOf(model);
  if (memo.derived !== undefined && memo.derived.iam === iam) return memo.derived;
  return (memo.derived = { iam, byDocument: new Map(), byList: { Action: new Map(), NotAction: new Map(), generation: -1 }, identity: undefined, permissions: undefined });
}

type Entry = { node: ResourceNode; policy: PolicyView };

/**
 * Entries keyed by what names a document: its kind, the resource defining it (`id`) and its name.
 * Per resource id its one entry, or a list searched by kind and name once it defines a second (a
 * resource defines a handful at most, most one): no key string is built per policy, and no list
 * is made for the usual single entry.
 */
class ByDocument<T extends Entry> {
  private readonly byId = new Map<string, T | T[]>();

  find(id: string, policy: PolicyView): T | undefined {
    const hit = this.byId.get(id);
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return names(hit as T, policy) ? (hit as T) : undefined;
    for (let i = 0; i < hit.length; i++) if (names(hit[i], policy)) return hit[i];
    return undefined;
  }

  add(id: string, entry: T): void {
    const hit = this.byId.get(id);
    if (hit === undefined) this.byId.set(id, entry);
    else if (Array.isArray(hit)) hit.push(entry);
    else this.byId.set(id, [hit as T, entry]);
  }
}

/** Is `entry` about the document `policy` names (same kind and name)? */
function names(entry: Entry, policy: PolicyView): boolean {
  return entry.policy.kind === policy.kind && entry.policy.name === policy.name;
}

/** A resource policy's principals: none (one frozen list for all of them). */
const NO_PRINCIPALS: readonly PrincipalView[] = Object.freeze([]);

/** Identity, trust and resource-policy documents of the model, each once (a managed policy attached to three roles is one document). */
export function documents(model: ResourceModel): Documents {
  const memo = memoOf(model);
  if (memo.documents !== undefined) return memo.documents;
  const identity: { node: ResourceNode; policy: PolicyView; document: PolicyDocument; principals: PrincipalView[] }[] = [];
  const identityIndex = new ByDocument<(typeof identity)[number]>();
  const trust: DocRef[] = [];
  const resource: DocRef[] = [];
  const unresolved: Entry[] = [];
  const unresolvedIndex = new ByDocument<Entry>();
  const noteUnresolved = (id: string, node: ResourceNode, policy: PolicyView): void => {
    if (unresolvedIndex.find(id, policy)) return;
    const entry = { node, policy };
    unresolvedIndex.add(id, entry);
    unresolved.push(entry);
  };
  const principals = model.principals();
  for (let i = 0; i < principals.length; i++) {
    const p = principals[i];
    for (let k = 0; k < p.policies.length; k++) {
      const policy = p.policies[k];
      const node = policy.source ?? p.node;
      if (!policy.document) {
        noteUnresolved(node.id, node, policy);
        continue;
      }
      const entry = identityIndex.find(node.id, policy);
      if (entry) entry.principals.push(p);
      else {
        const added = { node, policy, document: policy.document, principals: [p] };
        identityIndex.add(node.id, added);
        identity.push(added);
      }
    }
    if (p.trust) {
      if (p.trust.document) trust.push({ node: p.node, policy: p.trust, document: p.trust.document, principals: [p] });
      else noteUnresolved(p.trust.source?.id ?? p.node.id, p.node, p.trust);
    }
  }
  const seenResource = new ByDocument<Entry>();
  const resourcePolicies = model.resourcePolicies();
  for (let i = 0; i < resourcePolicies.length; i++) {
    const { target, policy } = resourcePolicies[i];
    const node = policy.source ?? target;
    if (!node) continue;
    if (seenResource.find(node.id, policy)) continue;
    if (policy.document) {
      // The document's entry is also what marks it seen: one object per resource policy.
      const ref: DocRef = { node, policy, document: policy.document, principals: NO_PRINCIPALS };
      seenResource.add(node.id, ref);
      resource.push(ref);
    } else {
      seenResource.add(node.id, { node, policy });
      noteUnresolved(node.id, node, policy);
    }
  }
  return (memo.documents = { identity, trust, resource, unresolved });
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
  /**
   * What decides the statement's share of a principal's permissions (see signatureOf): its
   * expansion's number, doubled, plus one when unscoped. Equal grants mean equal expansions.
   */
  readonly grant: number;
}

function isActionLiteral(a: string): boolean {
  return !a.includes('${') && !a.startsWith('(');
}

/** `#1`, `#2` …: the labels of statements without a sid, made once each. */
const NUMBERED: string[] = [];

export function labelOf(s: PolicyStatement, index: number): string {
  if (s.sid) return `"${s.sid}"`;
  return (NUMBERED[index] ??= `#${index + 1}`);
}

interface Expansion {
  /** Numbers the expansions of one catalog: equal numbers, equal expansions. */
  readonly id: number;
  readonly patterns: readonly PatternExpansion[];
  readonly actions: readonly string[];
}

/**
 * A catalog's expansions by memo key (the kind and the lower-cased patterns), the next
 * expansion's number, and how many times the memo was cleared (its generation).
 */
interface ExpansionMemo {
  readonly byKey: Map<string, Expansion>;
  next: number;
  generation: number;
}

const expansionCache = new WeakMap<IamCatalog, ExpansionMemo>();

function expansionMemo(iam: IamCatalog): ExpansionMemo {
  let memo = expansionCache.get(iam);
  if (!memo) {
    memo = { byKey: new Map(), next: 0, generation: 0 };
    expansionCache.set(iam, memo);
  }
  return memo;
}

/**
 * The expansion of one Action / NotAction list, memoised by its text: the same list in a
 * thousand generated roles is expanded and de-duplicated once, and shares one array (which
 * keeps the per-array caches of bitsets and buckets effective).
 */
function expansionOf(iam: IamCatalog, kind: 'Action' | 'NotAction' | 'none', raw: readonly string[]): Expansion {
  const cache = expansionMemo(iam);
  const key = expansionKey(kind, raw);
  const hit = cache.byKey.get(key);
  if (hit) return hit;
  const patterns: PatternExpansion[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) patterns[i] = { pattern: raw[i], actions: iam.expand(raw[i]) };
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
  // Numbers keep counting after a clear: a number is never given to two expansions.
  const result = { id: cache.next++, patterns, actions };
  if (cache.byKey.size > 50_000) {
    cache.byKey.clear();
    cache.generation++;
  }
  cache.byKey.set(key, result);
  return result;
}

/** The memo key of an Action / NotAction list: the kind and the patterns, lower-cased, one per line. */
function expansionKey(kind: 'Action' | 'NotAction' | 'none', raw: readonly string[]): string {
  let plain = true;
  for (let i = 0; i < raw.length && plain; i++) plain = !raw[i].includes('\n');
  if (plain) return `${kind}\n${raw.join('\n').toLowerCase()}`;
  // A pattern holding a line break must not read as two patterns: each is length-prefixed instead.
  let key = `${kind}\r`;
  for (let i = 0; i < raw.length; i++) {
    const lower = raw[i].toLowerCase();
    key += `${lower.length}:${lower}`;
  }
  return key;
}

/** The Action / NotAction elements that are action patterns (not references or expressions); the list itself when all are. */
function literalActions(list: readonly string[]): readonly string[] {
  for (let i = 0; i < list.length; i++) if (!isActionLiteral(list[i])) return list.filter(isActionLiteral);
  return list;
}

function hasAnyKey(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/**
 * The expansion of a statement's Action (or NotAction) list: by the list object when it was seen
 * in this model before (what expansionOf gives for equal content while its memo is not cleared).
 */
function statementExpansion(derived: Derived, statement: PolicyStatement): Expansion {
  const kind = statement.actions ? 'Action' : statement.notActions ? 'NotAction' : 'none';
  const list = statement.actions ?? statement.notActions;
  if (kind === 'none' || list === undefined) return expansionOf(derived.iam, 'none', []);
  const byList = derived.byList;
  const generation = expansionMemo(derived.iam).generation;
  if (byList.generation !== generation) {
    byList.Action.clear();
    byList.NotAction.clear();
    byList.generation = generation;
  }
  const known = byList[kind].get(list);
  if (known !== undefined) return known;
  const expansion = expansionOf(derived.iam, kind, literalActions(list));
  // Remembered only while the memo it came from is the same generation.
  if (expansionMemo(derived.iam).generation === generation) byList[kind].set(list, expansion);
  return expansion;
}

/** The facts of statement `index` of a document (see documentFacts for the memoised form). */
function statementFacts(statement: PolicyStatement, index: number, derived: Derived): StatementFacts {
  const { id, patterns, actions } = statementExpansion(derived, statement);
  let unscoped = statement.notResources !== undefined;
  const resources = statement.resources;
  if (!unscoped && resources) for (let i = 0; i < resources.length && !unscoped; i++) unscoped = isUnscopedResource(resources[i]);
  return {
    statement,
    index,
    label: labelOf(statement, index),
    allow: statement.effect === 'Allow',
    patterns,
    actions,
    unscoped,
    hasConditions: statement.conditions ? hasAnyKey(statement.conditions) : false,
    grant: id * 2 + (unscoped ? 1 : 0),
  };
}

/** The facts of every statement of a document of `model`, in order (memoised per model and document). */
export function documentFacts(model: ResourceModel, document: PolicyDocument, iam: IamCatalog): readonly StatementFacts[] {
  return factsIn(derivedOf(model, iam), document);
}

function factsIn(derived: Derived, document: PolicyDocument): readonly StatementFacts[] {
  const table = derived.byDocument;
  const cached = table.get(document);
  if (cached) return cached;
  const statements = document.statements;
  const facts: StatementFacts[] = new Array(statements.length);
  for (let i = 0; i < statements.length; i++) facts[i] = statementFacts(statements[i], i, derived);
  table.set(document, facts);
  return facts;
}

/** Does the statement's Action (or NotAction complement) cover this canonical action? Cheap for "*". */
export function grants(facts: StatementFacts, action: string): boolean {
  if (facts.statement.actions) {
    for (let i = 0; i < facts.patterns.length; i++) if (wildcardMatch(facts.patterns[i].pattern, action)) return true;
    return false;
  }
  if (facts.statement.notActions) return facts.actions.includes(action);
  return false;
}

export interface IdentityStatement {
  readonly doc: DocRef;
  readonly facts: StatementFacts;
}

/** Every statement of every identity document, with its facts (one list per model, shared by the rules). */
export function identityStatements(model: ResourceModel, iam: IamCatalog): readonly IdentityStatement[] {
  const derived = derivedOf(model, iam);
  if (derived.identity !== undefined) return derived.identity;
  const identity = documents(model).identity;
  // Counted first, so the list is made at its size (one grown by push is copied as it grows).
  let n = 0;
  for (let d = 0; d < identity.length; d++) n += factsIn(derived, identity[d].document).length;
  const list: IdentityStatement[] = new Array(n);
  n = 0;
  for (let d = 0; d < identity.length; d++) {
    const doc = identity[d];
    const facts = factsIn(derived, doc.document);
    for (let i = 0; i < facts.length; i++) list[n++] = { doc, facts: facts[i] };
  }
  return (derived.identity = list);
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

/** Below this many granted actions (before de-duplication) plain Sets are cheaper than bitsets. */
const BITSET_THRESHOLD = 2000;

const signatureCache = new WeakMap<IamCatalog, Map<string, PrincipalPermissions>>();

/**
 * What decides a principal's permissions, as text: principals with the same grants share one
 * result. Grants are numbers (see StatementFacts.grant), so the text stays short.
 */
function signatureOf(allows: readonly StatementFacts[], denies: readonly StatementFacts[], unresolved: number): string {
  let signature = `${unresolved}|`;
  for (let i = 0; i < allows.length; i++) signature += `${allows[i].grant},`;
  signature += '|';
  for (let i = 0; i < denies.length; i++) signature += `${denies[i].grant},`;
  return signature;
}

/** The permissions of each of `model.principals()`, in the same order (one list per model, shared by the rules). */
export function principalsPermissions(model: ResourceModel, iam: IamCatalog): readonly PrincipalPermissions[] {
  const derived = derivedOf(model, iam);
  if (derived.permissions !== undefined) return derived.permissions;
  const principals = model.principals();
  const list: PrincipalPermissions[] = new Array(principals.length);
  for (let i = 0; i < principals.length; i++) list[i] = permissionsOf(principals[i], derived);
  return (derived.permissions = list);
}

function permissionsOf(p: PrincipalView, derived: Derived): PrincipalPermissions {
  const iam = derived.iam;
  const allows: StatementFacts[] = [];
  const denies: StatementFacts[] = [];
  let unresolved = 0;
  let volume = 0;
  for (let k = 0; k < p.policies.length; k++) {
    const document = p.policies[k].document;
    if (!document) {
      unresolved++;
      continue;
    }
    const facts = factsIn(derived, document);
    for (let i = 0; i < facts.length; i++) {
      const f = facts[i];
      const s = f.statement;
      if (f.allow) {
        allows.push(f);
        volume += f.actions.length;
      } else if (!f.hasConditions && s.resources !== undefined && s.resources.includes('*') && !s.notResources) {
        denies.push(f);
      }
    }
  }
  let bySignature = signatureCache.get(iam);
  if (!bySignature) {
    bySignature = new Map();
    signatureCache.set(iam, bySignature);
  }
  const signature = signatureOf(allows, denies, unresolved);
  const shared = bySignature.get(signature);
  if (shared) return shared;
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
  if (bySignature.size > 10_000) bySignature.clear();
  bySignature.set(signature, result);
  return result;
}

/** The first few items of a list, for messages. */
export function sample(items: readonly string[], n = 5): string {
  if (items.length <= n) return items.join(', ');
  return `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
