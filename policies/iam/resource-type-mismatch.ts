import type { Rule, RuleResult } from '../rule';
import type { IamCatalog } from '../context';
import type { PolicyStatement } from '../../auditor/model/types';
import { PatternExpansion, identityStatements } from './lib/analysis';
import { arnFormatRegExp, serviceOfArnFormat, serviceOfLiteralArn, servicesOfReference } from './lib/arn';

const targetsCache = new WeakMap<readonly string[], { services: Set<string>; formats: Set<string> }>();

/** ARN services and formats an action list can act on (memoised per list). */
function targetsOf(iam: IamCatalog, actions: readonly string[]): { services: Set<string>; formats: Set<string> } {
  let t = targetsCache.get(actions);
  if (t) return t;
  t = { services: new Set<string>(), formats: new Set<string>() };
  for (const a of actions) {
    for (const rt of iam.resourceTypes(a)) {
      for (const f of rt.arnFormats) {
        t.formats.add(f);
        const svc = serviceOfArnFormat(f);
        if (svc) t.services.add(svc);
      }
    }
  }
  targetsCache.set(actions, t);
  return t;
}

/** Does `arn` (of `service`) fit one of the ARN formats? */
function matchesFormat(formats: ReadonlySet<string>, service: string, arn: string): boolean {
  for (const f of formats) if (serviceOfArnFormat(f) === service && arnFormatRegExp(f).test(arn)) return true;
  return false;
}

/** Does a pattern match no action, or is part of the Action list unknown before apply? */
function partlyUnknown(patterns: readonly PatternExpansion[], unknowns: PolicyStatement['unknowns']): boolean {
  for (let i = 0; i < patterns.length; i++) if (patterns[i].actions.length === 0) return true;
  if (unknowns) for (let i = 0; i < unknowns.length; i++) if (unknowns[i].field === 'actions') return true;
  return false;
}

function hasAny(set: ReadonlySet<string>, items: readonly string[]): boolean {
  for (let i = 0; i < items.length; i++) if (set.has(items[i])) return true;
  return false;
}

/** Above this many actions a statement is broad enough that other rules speak for it. */
const MAX_ACTIONS = 2000;

/**
 * A resource in an Allow statement that none of the statement's actions can act on:
 * `s3:GetObject` on a DynamoDB table ARN, `${aws_dynamodb_table.t.arn}` under only `s3:*` actions,
 * or a wildcard-only action given a specific ARN. The grant does nothing for that resource —
 * usually a copy-paste slip that leaves the intended permission missing.
 */
export const rule: Rule = {
  id: 'iam/resource-type-mismatch',
  title: "Statement's resources do not match its actions",
  category: 'iam',
  severity: 'medium',
  rationale:
    'IAM silently ignores a resource the statement\'s actions cannot apply to. The intended access is missing (and tends to get "fixed" with "*"), or the policy is not what the author thinks it is.',
  remediation:
    'Put each resource with the actions of its service in the same statement (s3:GetObject with "<bucket-arn>/*", dynamodb:GetItem with the table ARN); actions that only accept "*" need a statement of their own.',
  check(model, ctx) {
    const out: RuleResult[] = [];
    // Indexed loops and no closures per statement: a rule runs once per audit, mostly before its loops are optimised.
    const identity = identityStatements(model, ctx.iam);
    for (let k = 0; k < identity.length; k++) {
      const { doc, facts } = identity[k];
      const s = facts.statement;
      if (!facts.allow || !s.actions || !s.resources || facts.actions.length === 0 || facts.actions.length > MAX_ACTIONS) continue;
      // A statement whose Action is partly unknown (typo, value known after apply) is not judged here.
      if (partlyUnknown(facts.patterns, s.unknowns)) continue;
      let targets: { services: Set<string>; formats: Set<string> } | undefined;
      for (let i = 0; i < s.resources.length; i++) {
        const r = s.resources[i];
        // Only literal ARNs and references to known resource types can be judged.
        if (r === '*') continue;
        const literal = serviceOfLiteralArn(r);
        const refServices = literal === undefined ? servicesOfReference(r) : undefined;
        if (literal === undefined && refServices === undefined) continue;
        const { services, formats } = (targets ??= targetsOf(ctx.iam, facts.actions));
        let reason: string | undefined;
        if (literal) {
          if (!services.has(literal)) reason = `a ${literal} ARN`;
          // Resource-type level only for wildcard-free ARNs: `log-group:x:*` may stand for a log stream.
          else if (!/[*?]/.test(r) && !matchesFormat(formats, literal, r)) reason = `no resource type of ${literal} the actions accept`;
        } else if (refServices && !hasAny(services, refServices)) reason = `a ${refServices[0]} resource`;
        if (!reason) continue;
        const what = services.size === 0 ? 'its actions only accept "*"' : `its actions act on ${[...services].sort().join(', ')} resources`;
        out.push({
          node: doc.node,
          detail: r,
          message: `${doc.policy.name} statement ${facts.label} grants on ${r} (${reason}), but ${what}: the grant has no effect there`,
        });
      }
    }
    return out;
  },
};
