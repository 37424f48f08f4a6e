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

export function unscopedGrants(model: ResourceModel, iam: IamCatalog): readonly UnscopedGrant[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: UnscopedGrant[] = [];
  for (const { doc, facts } of identityStatements(model, iam)) {
    if (!facts.allow || !facts.unscoped) continue;
    const seen = new Set<string>();
    const groups: readonly { pattern: string; actions: readonly string[] }[] = facts.statement.actions
      ? facts.patterns
      : [{ pattern: 'NotAction', actions: facts.actions }];
    for (const g of groups) {
      // "*" on "*" is iam/admin-star's single critical finding, not a thousand smaller ones.
      if (g.pattern === '*' || g.pattern === '*:*') continue;
      const buckets = new Map<Bucket, string[]>();
      for (const a of g.actions) {
        if (seen.has(a) || !isRestrictable(iam, a)) continue;
        seen.add(a);
        const b = bucketOf(iam, a);
        const list = buckets.get(b);
        if (list) list.push(a);
        else buckets.set(b, [a]);
      }
      if (buckets.size) out.push({ doc, facts, pattern: g.pattern, buckets });
    }
  }
  cache.set(model, out);
  return out;
}
