/**
 * Resource policies (bucket policies, key policies) as the model normalised them, looked up per
 * protected resource, and the statement tests the encryption rules share.
 */
import type { PolicyStatement, PolicyView, ResourceModel, ResourceNode } from '../../auditor/model/types';

type Entry = { readonly target?: ResourceNode; readonly policy: PolicyView };
const cache = new WeakMap<ResourceModel, readonly Entry[]>();

function all(model: ResourceModel): readonly Entry[] {
  let list = cache.get(model);
  if (!list) {
    list = model.resourcePolicies();
    cache.set(model, list);
  }
  return list;
}

/**
 * The resource policies that protect `node`: those the model attached to it, those defined on
 * the node itself (a legacy inline `policy`), and those defined by one of `sources` (e.g. the
 * bucket's `aws_s3_bucket_policy` resources found by literal name).
 */
export function policiesOf(model: ResourceModel, node: ResourceNode, sources: readonly ResourceNode[] = []): PolicyView[] {
  const ids = new Set(sources.map((s) => s.id));
  const out: PolicyView[] = [];
  const seen = new Set<PolicyView>();
  for (const e of all(model)) {
    const src = e.policy.source;
    const mine = (e.target && e.target.id === node.id) || (src && (src.id === node.id || ids.has(src.id)));
    if (mine && !seen.has(e.policy)) {
      seen.add(e.policy);
      out.push(e.policy);
    }
  }
  return out;
}

/** Principal `*` (or `{"AWS": "*"}`) — anyone. */
export function isWildcardPrincipal(s: PolicyStatement): boolean {
  const p = s.principal;
  if (!p) return false;
  return (p.AWS ?? []).some((a) => a === '*') || (p.CanonicalUser ?? []).some((a) => a === '*');
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
