/**
 * Actions granted on every resource, sorted into one bucket each so that the "on *" rules never
 * report the same action twice: credentials exposure, data exfiltration, permissions management,
 * write (incl. tagging), iam:PassRole, and the rest (read / list). Wildcard-only actions — those AWS only accepts
 * with "Resource": "*" (ecr:GetAuthorizationToken, ec2:Describe*) — are exempt everywhere.
 */
import type { ResourceModel } from '../../../auditor/model/types';
import type { IamCatalog } from '../../context';
import sensitive from '../../data/iam/sensitive-actions.json';
import { DocRef, StatementFacts, identityStatements, isRestrictable } from './analysis';

export type Bucket = 'credentials' | 'exfiltration' | 'permissions' | 'write' | 'other' | 'passrole';

const CREDENTIALS = new Set(sensitive.credentialsExposure.actions.map((a) => a.toLowerCase()));
const EXFILTRATION = new Set(sensitive.dataExfiltration.actions.map((a) => a.toLowerCase()));

export function bucketOf(iam: IamCatalog, action: string): Bucket {
  const key = action.toLowerCase();
  // iam:PassRole has its own rule (iam/passrole-unrestricted), which also weighs iam:PassedToService.
  if (key === 'iam:passrole') return 'passrole';
  if (CREDENTIALS.has(key)) return 'credentials';
  if (EXFILTRATION.has(key)) return 'exfiltration';
  const level = iam.accessLevel(action);
  if (level === 'Permissions management') return 'permissions';
  if (level === 'Write' || level === 'Tagging') return 'write';
  return 'other';
}

export interface UnscopedGrant {
  readonly doc: DocRef;
  readonly facts: StatementFacts;
  /** The pattern as written (`s3:*`), or `NotAction` for statements using NotAction. */
  readonly pattern: string;
  readonly buckets: ReadonlyMap<Bucket, readonly string[]>;
}

const cache = new WeakMap<ResourceModel, readonly UnscopedGrant[]>();
/** Buckets per action list: `s3:Get*` in a thousand statements is classified once. */
const bucketsCache = new WeakMap<readonly string[], ReadonlyMap<Bucket, readonly string[]>>();

function bucketsOf(iam: IamCatalog, actions: readonly string[]): ReadonlyMap<Bucket, readonly string[]> {
  let buckets = bucketsCache.get(actions);
  if (buckets) return buckets;
  const m = new Map<Bucket, string[]>();
  for (const a of actions) {
    if (!isRestrictable(iam, a)) continue;
    const b = bucketOf(iam, a);
    const list = m.get(b);
    if (list) list.push(a);
    else m.set(b, [a]);
  }
  buckets = m;
  bucketsCache.set(actions, buckets);
  return buckets;
}

type Group = { readonly pattern: string; readonly buckets: ReadonlyMap<Bucket, readonly string[]> };
const groupsCache = new WeakMap<object, readonly Group[]>();

/** Per pattern of a statement, its restrictable actions by bucket (memoised per shared expansion). */
function groupsOf(iam: IamCatalog, facts: StatementFacts): readonly Group[] {
  const key: object = facts.statement.actions ? facts.patterns : facts.actions;
  const hit = groupsCache.get(key);
  if (hit) return hit;
  const groups: readonly { pattern: string; actions: readonly string[] }[] = facts.statement.actions
    ? facts.patterns
    : [{ pattern: 'NotAction', actions: facts.actions }];
  // An action two patterns of one statement both match is reported under the first.
  const seen = groups.length > 1 ? new Set<string>() : undefined;
  const out: Group[] = [];
  for (const g of groups) {
    // "*" on "*" is iam/admin-star's single critical finding, not a thousand smaller ones.
    if (g.pattern === '*' || g.pattern === '*:*') continue;
    let buckets = bucketsOf(iam, g.actions);
    if (seen) {
      const filtered = new Map<Bucket, readonly string[]>();
      for (const [b, list] of buckets) {
        const fresh = list.filter((a) => !seen.has(a));
        if (fresh.length) filtered.set(b, fresh);
      }
      for (const a of g.actions) seen.add(a);
      buckets = filtered;
    }
    if (buckets.size) out.push({ pattern: g.pattern, buckets });
  }
  groupsCache.set(key, out);
  return out;
}

export function unscopedGrants(model: ResourceModel, iam: IamCatalog): readonly UnscopedGrant[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: UnscopedGrant[] = [];
  // Indexed loops: this runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
  const identity = identityStatements(model, iam);
  for (let k = 0; k < identity.length; k++) {
    const { doc, facts } = identity[k];
    if (!facts.allow || !facts.unscoped) continue;
    const groups = groupsOf(iam, facts);
    for (let i = 0; i < groups.length; i++) out.push({ doc, facts, pattern: groups[i].pattern, buckets: groups[i].buckets });
  }
  cache.set(model, out);
  return out;
}
