import type { Rule, RuleResult } from '../rule';
import { documents, labelOf } from './lib/analysis';

/** Allow statements written with NotAction or NotResource. */
export const rule: Rule = {
  id: 'iam/allow-not-action',
  title: 'Allow statement uses NotAction or NotResource',
  category: 'iam',
  severity: 'high',
  rationale:
    'Allow + NotAction grants every action except those listed — including every action AWS adds later; Allow + NotResource grants on every resource except those listed. Both are allow-lists turned inside out and grow silently.',
  remediation: 'Rewrite the statement with Action and Resource listing what is allowed; keep NotAction/NotResource for Deny statements.',
  check(model) {
    const out: RuleResult[] = [];
    const docs = documents(model);
    for (const doc of [...docs.identity, ...docs.resource]) {
      doc.document.statements.forEach((s, i) => {
        if (s.effect !== 'Allow') return;
        for (const [field, values] of [
          ['NotAction', s.notActions],
          ['NotResource', s.notResources],
        ] as const) {
          if (!values) continue;
          out.push({
            node: doc.node,
            detail: field,
            message: `${doc.policy.name} statement ${labelOf(s, i)} allows with ${field} [${values.join(', ')}]: everything not listed is allowed`,
          });
        }
      });
    }
    return out;
  },
};
