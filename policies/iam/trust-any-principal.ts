import type { Rule, RuleResult } from '../rule';
import { documents } from './lib/analysis';
import { hasAnyCondition } from './lib/trust';

/** A trust policy that lets anyone (`"Principal": "*"` / `{"AWS": "*"}`) assume the role. */
export const rule: Rule = {
  id: 'iam/trust-any-principal',
  title: 'Role can be assumed by any principal',
  category: 'iam',
  severity: 'critical',
  rationale:
    'With Principal "*" any AWS account in the world can call sts:AssumeRole on the role. A condition can narrow that, but one mistake in it opens the role to everyone.',
  remediation:
    'Name the service (Service: codebuild.amazonaws.com) or the role/account ARNs that need to assume the role. Severity is medium instead of critical when the statement carries a condition.',
  equivalents: { checkov: ['CKV_AWS_60'] },
  check(model) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const trust = documents(model).trust;
    for (let d = 0; d < trust.length; d++) {
      const doc = trust[d];
      const statements = doc.document.statements;
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        if (s.effect !== 'Allow') continue;
        const anyone = (s.principal?.AWS?.includes('*') ?? false) || s.notPrincipal !== undefined;
        if (!anyone) continue;
        const conditioned = hasAnyCondition(s);
        out.push({
          node: doc.node,
          detail: s.notPrincipal ? 'NotPrincipal' : '*',
          severity: conditioned ? 'medium' : 'critical',
          message: `${doc.node.address} trust policy statement ${s.sid ? `"${s.sid}"` : `#${i + 1}`} lets ${s.notPrincipal ? 'every principal but the listed ones (NotPrincipal)' : 'any principal ("*")'} assume the role${conditioned ? ', limited only by its condition' : ''}`,
        });
      }
    }
    return out;
  },
};
