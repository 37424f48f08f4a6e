import type { Rule, RuleResult } from '../rule';
import { identityStatements } from './lib/analysis';
import { splitAction } from '../../auditor/iam/expand';

/** `s3:*`, `iam:*` …: every action of a service, present and future. */
export const rule: Rule = {
  id: 'iam/service-wildcard',
  title: 'IAM policy allows every action of a service',
  category: 'iam',
  severity: 'high',
  rationale:
    'A "service:*" action grants every current and future action of the service, including deleting resources and rewriting their policies; no workload needs all of them.',
  remediation:
    'List the actions the workload calls (e.g. s3:GetObject, s3:PutObject instead of s3:*). Prefix wildcards such as "s3:Get*" are narrower, but listing actions is best.',
  equivalents: {
    checkov: ['CKV_AWS_63', 'CKV_AWS_49'],
    trivy: ['AVD-AWS-0057'],
    cdkNag: ['AwsSolutions-IAM5', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', 'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess'],
  },
  check(model, ctx) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const identity = identityStatements(model, ctx.iam);
    for (let k = 0; k < identity.length; k++) {
      const { doc, facts } = identity[k];
      if (!facts.allow || !facts.statement.actions) continue;
      for (let i = 0; i < facts.patterns.length; i++) {
        const p = facts.patterns[i];
        // Only `*` and `<service>:*` can be a whole service: skip the rest without splitting them.
        if (p.pattern !== '*' && !p.pattern.endsWith(':*')) continue;
        const split = splitAction(p.pattern);
        if (!split || split.action !== '*') continue;
        // `*` on `*` is iam/admin-star's (critical) finding.
        if (split.service === '*' && facts.unscoped) continue;
        out.push({
          node: doc.node,
          detail: p.pattern,
          severity: facts.unscoped ? 'high' : 'medium',
          message: `${doc.policy.name} statement ${facts.label} allows "${p.pattern}" (${p.actions.length} actions) on ${facts.unscoped ? 'every resource' : 'its resources'}`,
        });
      }
    }
    return out;
  },
};
