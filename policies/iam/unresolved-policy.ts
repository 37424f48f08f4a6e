import type { Rule, RuleResult } from '../rule';
import { documents, labelOf } from './lib/analysis';

/** Documents (or parts of them) the auditor could not read: reported, never silently passed. */
export const rule: Rule = {
  id: 'iam/unresolved-policy',
  title: 'Policy document could not be evaluated',
  category: 'iam',
  severity: 'info',
  rationale:
    'A policy built from values Terraform knows only after apply, a file(), a module output or an AWS-managed policy the audit has no copy of cannot be checked; the other IAM rules did not see it.',
  remediation:
    'Build the document from literals and resource references (jsonencode or aws_iam_policy_document), or review it by hand and suppress this finding with the reason.',
  check(model) {
    const out: RuleResult[] = [];
    const docs = documents(model);
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    for (let u = 0; u < docs.unresolved.length; u++) {
      const { node, policy } = docs.unresolved[u];
      out.push({
        node,
        detail: policy.name,
        message: `${policy.kind} policy ${policy.name} could not be evaluated: ${policy.unresolved ?? 'its document is not in the input'}`,
      });
    }
    for (const list of [docs.identity, docs.trust, docs.resource]) {
      for (let d = 0; d < list.length; d++) {
        const doc = list[d];
        const statements = doc.document.statements;
        for (let i = 0; i < statements.length; i++) {
          const unknown = statements[i].unknowns;
          if (!unknown || unknown.length === 0) continue;
          const fields = [...new Set(unknown.map((u) => u.field))].join(', ');
          const label = labelOf(statements[i], i);
          out.push({
            node: doc.node,
            detail: `${doc.policy.name} ${label}`,
            message: `${doc.policy.name} statement ${label}: ${fields} known only after apply (${unknown[0].reason}); those parts were not evaluated`,
          });
        }
      }
    }
    return out;
  },
};
