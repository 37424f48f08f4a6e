import type { Rule, RuleResult } from '../rule';
import { documents } from './lib/analysis';
import { hasAnyCondition, isWholeAccount } from './lib/trust';

/** A trust policy naming a whole account (`arn:aws:iam::123456789012:root` or `123456789012`) without a condition. */
export const rule: Rule = {
  id: 'iam/trust-whole-account',
  title: 'Role can be assumed by every principal of an account, without a condition',
  category: 'iam',
  severity: 'medium',
  rationale:
    'Trusting an account root delegates the decision to that account: every user and role there whose own policy allows sts:AssumeRole can assume this role. For another account that is a cross-account door; for your own account it widens the role to everyone with a broad policy.',
  remediation:
    'Name the specific role ARNs that need to assume this role, or add a condition (aws:PrincipalArn, aws:PrincipalOrgID, sts:ExternalId, aws:MultiFactorAuthPresent).',
  equivalents: { checkov: ['CKV_AWS_61'] },
  check(model) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const trust = documents(model).trust;
    for (let d = 0; d < trust.length; d++) {
      const doc = trust[d];
      const statements = doc.document.statements;
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        const accounts = s.principal?.AWS;
        if (s.effect !== 'Allow' || !accounts || hasAnyCondition(s)) continue;
        for (let k = 0; k < accounts.length; k++) {
          const p = accounts[k];
          if (!isWholeAccount(p)) continue;
          out.push({
            node: doc.node,
            detail: p,
            message: `${doc.node.address} trust policy statement ${s.sid ? `"${s.sid}"` : `#${i + 1}`} trusts the whole account ${p} without a condition`,
          });
        }
      }
    }
    return out;
  },
};
