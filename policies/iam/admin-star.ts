import type { Rule, RuleResult } from '../rule';
import { PatternExpansion, identityStatements } from './lib/analysis';

/** The statement's `*` or `*:*` pattern, if any. */
function starPattern(patterns: readonly PatternExpansion[]): PatternExpansion | undefined {
  for (let i = 0; i < patterns.length; i++) if (patterns[i].pattern === '*' || patterns[i].pattern === '*:*') return patterns[i];
  return undefined;
}

/** `"Action": "*"` on `"Resource": "*"`: full administrator access. */
export const rule: Rule = {
  id: 'iam/admin-star',
  title: 'IAM policy allows every action on every resource',
  category: 'iam',
  severity: 'critical',
  rationale:
    'A statement that allows "*" on "*" makes the principal an account administrator: one leaked build credential or compromised dependency can then do anything in the account, including erase the audit trail.',
  remediation:
    'Replace the statement with the specific actions the workload calls, each on the ARNs it needs (grant from the resource: bucket ARN, table ARN, log group ARN).',
  equivalents: {
    checkov: ['CKV_AWS_1', 'CKV_AWS_62'],
    trivy: ['AVD-AWS-0057'],
    cdkNag: ['NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess'],
  },
  check(model, ctx) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const identity = identityStatements(model, ctx.iam);
    for (let k = 0; k < identity.length; k++) {
      const { doc, facts } = identity[k];
      if (!facts.allow || !facts.unscoped || !facts.statement.actions) continue;
      const star = starPattern(facts.patterns);
      if (!star) continue;
      out.push({
        node: doc.node,
        detail: star.pattern,
        message: `${doc.policy.name} statement ${facts.label} allows "${star.pattern}" on every resource: full administrator access`,
      });
    }
    return out;
  },
};
