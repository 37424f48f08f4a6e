import type { Rule, RuleResult } from '../rule';
import type { PolicyStatement } from '../../auditor/model/types';
import { PatternExpansion, grants, identityStatements } from './lib/analysis';
import { wildcardMatch } from '../../auditor/iam/expand';

const PASS_ROLE = 'iam:PassRole';

function hasPassedToService(s: PolicyStatement): boolean {
  for (const byKey of Object.values(s.conditions ?? {})) {
    for (const key of Object.keys(byKey)) if (key.toLowerCase() === 'iam:passedtoservice') return true;
  }
  return false;
}

/** The first pattern that reaches iam:PassRole (the action itself when none does). */
function passRolePattern(patterns: readonly PatternExpansion[]): string {
  for (let i = 0; i < patterns.length; i++) if (wildcardMatch(patterns[i].pattern, PASS_ROLE)) return patterns[i].pattern;
  return PASS_ROLE;
}

/** iam:PassRole on every role, or without an iam:PassedToService condition. */
export const rule: Rule = {
  id: 'iam/passrole-unrestricted',
  title: 'iam:PassRole is not restricted to named roles and services',
  category: 'iam',
  severity: 'high',
  rationale:
    'iam:PassRole lets a principal hand a role to a service (CodeBuild, Lambda, EC2 …) that then acts with that role\'s permissions. On "*" it can pass the most powerful role in the account; without iam:PassedToService it can pass the role to any service, including one it controls.',
  remediation:
    'Scope iam:PassRole to the ARNs of the roles it must pass and add a condition `StringEquals: { "iam:PassedToService": "<service>.amazonaws.com" }`.',
  equivalents: { checkov: ['CKV_AWS_110', 'CKV_AWS_286'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const identity = identityStatements(model, ctx.iam);
    for (let k = 0; k < identity.length; k++) {
      const { doc, facts } = identity[k];
      if (!facts.allow || !grants(facts, PASS_ROLE)) continue;
      // A statement counts when it reaches PassRole through a wildcard too; "*" on "*" is iam/admin-star's finding.
      const via = facts.statement.actions ? passRolePattern(facts.patterns) : 'NotAction';
      if ((via === '*' || via === '*:*') && facts.unscoped) continue;
      const suffix = via.toLowerCase() === 'iam:passrole' ? '' : ` (via "${via}")`;
      if (facts.unscoped) {
        out.push({
          node: doc.node,
          detail: PASS_ROLE,
          severity: 'high',
          message: `${doc.policy.name} statement ${facts.label} allows iam:PassRole on every role${suffix}${hasPassedToService(facts.statement) ? '' : ' and to any service'}`,
        });
      } else if (!hasPassedToService(facts.statement)) {
        out.push({
          node: doc.node,
          detail: PASS_ROLE,
          severity: 'low',
          message: `${doc.policy.name} statement ${facts.label} allows iam:PassRole${suffix} without an iam:PassedToService condition: the roles can be passed to any service`,
        });
      }
    }
    return out;
  },
};
