import type { Rule, RuleResult } from '../rule';
import { identityStatements } from './lib/analysis';

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
    for (const { doc, facts } of identityStatements(model, ctx.iam)) {
      if (!facts.allow || !facts.unscoped || !facts.statement.actions) continue;
      const star = facts.patterns.find((p) => p.pattern === '*' || p.pattern === '*:*');
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
