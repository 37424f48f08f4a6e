import { attached, managed } from '../lib/links';
import { blocks } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';
import { policyChars } from './lib/size';

const LIMIT = limitOf('iam-role-inline-policy-size');

/** All inline policies of a role count together: aws_iam_role_policy resources and aws_iam_role.inline_policy blocks. */
export const rule: Rule = {
  id: 'quota/role-inline-policy-size',
  title: 'IAM role inline policies within the aggregate size limit',
  category: 'quota',
  severity: 'high',
  rationale: `IAM rejects an inline policy when the role's inline policies together exceed the limit, failing the apply half way. ${LIMIT.cite}.`,
  remediation: 'Move permissions into customer managed policies (each may be 6,144 characters) attached to the role, or trim the inline policies.',
  check(model) {
    const results: RuleResult[] = [];
    for (const role of managed(model, 'aws_iam_role')) {
      let total = 0;
      const parts: string[] = [];
      for (const b of blocks(role.values.inline_policy)) {
        const n = policyChars(b.policy);
        if (n !== undefined) {
          total += n;
          parts.push(`inline_policy ${String(b.name ?? '')}: ${n}`.trim());
        }
      }
      for (const p of attached(model, role, 'aws_iam_role_policy', 'role', ['name', 'id'])) {
        const n = policyChars(p.values.policy);
        if (n !== undefined) {
          total += n * p.count;
          parts.push(`${p.address}: ${n}${p.count > 1 ? ` ×${p.count}` : ''}`);
        }
      }
      if (total > LIMIT.defaultValue) {
        results.push({ node: role, message: `inline policies total ${total} characters (${parts.join(', ')}; white space not counted); the limit is ${LIMIT.defaultValue} per role and cannot be raised (${LIMIT.source})` });
      }
    }
    return results;
  },
};
