import type { Rule, RuleResult } from '../rule';
import type { PolicyStatement } from '../../auditor/model/types';
import { DocRef, documents, labelOf } from './lib/analysis';

function finding(doc: DocRef, s: PolicyStatement, i: number, field: 'NotAction' | 'NotResource', values: readonly string[]): RuleResult {
  return {
    node: doc.node,
    detail: field,
    message: `${doc.policy.name} statement ${labelOf(s, i)} allows with ${field} [${values.join(', ')}]: everything not listed is allowed`,
  };
}

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
    for (const list of [docs.identity, docs.resource]) {
      // Indexed: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
      for (let d = 0; d < list.length; d++) {
        const doc = list[d];
        const statements = doc.document.statements;
        for (let i = 0; i < statements.length; i++) {
          const s = statements[i];
          if (s.effect !== 'Allow') continue;
          if (s.notActions) out.push(finding(doc, s, i, 'NotAction', s.notActions));
          if (s.notResources) out.push(finding(doc, s, i, 'NotResource', s.notResources));
        }
      }
    }
    return out;
  },
};
