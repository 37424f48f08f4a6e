/**
 * Resource policies (bucket policies, key policies) as the model normalised them, looked up per
 * protected resource, and the statement tests the encryption rules share.
 */
import type { PolicyStatement, PolicyView, ResourceModel, ResourceNode } from '../../auditor/model/types';
import { lowerCaseEquals } from './values';

type Entry = { readonly target?: ResourceNode; readonly policy: PolicyView };
/** Per model: policies by the id of the node they protect and by the id of the node defining them. */
const cache = new WeakMap<ResourceModel, Map<string, PolicyView[]>>();

function index(model: ResourceModel): Map<string, PolicyView[]> {
  let byId = cache.get(model);
  if (!byId) {
    const built = new Map<string, PolicyView[]>();
    const add = (id: string, p: PolicyView): void => {
      const list = built.get(id);
      if (!list) built.set(id, [p]);
      else if (!list.includes(p)) list.push(p);
    };
    for (const e of model.resourcePolicies() as readonly Entry[]) {
      if (e.target) add(e.target.id, e.policy);
      if (e.policy.source) add(e.policy.source.id, e.policy);
    }
    cache.set(model, built);
    byId = built;
  }
  return byId;
}

/**
 * The resource policies that protect `node`: those the model attached to it, those defined on
 * the node itself (a legacy inline `policy`), and those defined by one of `sources` (e.g. the
 * bucket's `aws_s3_bucket_policy` resources found by literal name).
 */
export function policiesOf(model: ResourceModel, node: ResourceNode, sources: readonly ResourceNode[] = NO_SOURCES): PolicyView[] {
  return [...policiesOn(model, node, sources)];
}
const NO_SOURCES: readonly ResourceNode[] = Object.freeze([]);
const NO_POLICIES: readonly PolicyView[] = Object.freeze([]);

/**
 * The same policies as `policiesOf`, to read only: when they all come from one node (the usual
 * case: the bucket's, or its one aws_s3_bucket_policy's) that node's list in the index is returned
 * as it is, and a list is made only to add another node's.
 */
export function policiesOn(model: ResourceModel, node: ResourceNode, sources: readonly ResourceNode[] = NO_SOURCES): readonly PolicyView[] {
  const byId = index(model);
  // Every list in the index holds each policy once, so the first list found needs no check.
  let out: readonly PolicyView[] | undefined = byId.get(node.id);
  let made = false;
  for (let i = 0; i < sources.length; i++) {
    const list = byId.get(sources[i].id);
    if (list === undefined || list === out) continue;
    if (out === undefined) {
      out = list;
      continue;
    }
    for (let j = 0; j < list.length; j++) {
      if (out.includes(list[j])) continue;
      if (!made) {
        out = out.slice();
        made = true;
      }
      (out as PolicyView[]).push(list[j]);
    }
  }
  return out ?? NO_POLICIES;
}

/** Principal `*` (or `{"AWS": "*"}`) — anyone. */
export function isWildcardPrincipal(s: PolicyStatement): boolean {
  const p = s.principal;
  if (!p) return false;
  return hasStar(p.AWS) || hasStar(p.CanonicalUser);
}

function hasStar(list: readonly string[] | undefined): boolean {
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i++) if (list[i] === '*') return true;
  return false;
}

/** The condition values for one key (operator names and keys compared case-insensitively), across operators matching `op`. */
export function conditionValues(s: PolicyStatement, op: RegExp, key: string): string[] {
  const out: string[] = [];
  const k = key.toLowerCase();
  for (const [operator, byKey] of Object.entries(s.conditions)) {
    if (!op.test(operator)) continue;
    for (const [ck, values] of Object.entries(byKey)) if (ck.toLowerCase() === k) out.push(...values);
  }
  return out;
}

/**
 * Does a condition value for `key` (lower case), under an operator matching `op`, pass `test`?
 * `conditionValues(s, op, key).some(test)` without building the list.
 */
export function someConditionValue(s: PolicyStatement, op: RegExp, key: string, test: (value: string) => boolean): boolean {
  const conditions = s.conditions;
  for (const operator in conditions) {
    if (!Object.prototype.hasOwnProperty.call(conditions, operator) || !op.test(operator)) continue;
    const byKey = conditions[operator];
    for (const ck in byKey) {
      if (!Object.prototype.hasOwnProperty.call(byKey, ck) || !lowerCaseEquals(ck, key)) continue;
      const values = byKey[ck];
      for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    }
  }
  return false;
}

/** Condition keys that tie a statement to a specific account, organisation, principal or calling service. */
const LIMITING_KEYS = [
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  'aws:username',
  'kms:calleraccount',
  'kms:viaservice',
  'kms:grantisforawsresource',
];

/** Does the statement carry a condition that narrows who can use it? */
export function hasLimitingCondition(s: PolicyStatement): boolean {
  for (const byKey of Object.values(s.conditions)) {
    for (const key of Object.keys(byKey)) {
      const k = key.toLowerCase();
      if (LIMITING_KEYS.includes(k) || k.startsWith('kms:encryptioncontext:')) return true;
    }
  }
  return false;
}
