import type { ResourceNode } from '../../auditor/model/types';
import { attached } from '../lib/links';
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
    for (const role of model.byType('aws_iam_role')) {
      if (role.mode !== 'managed') continue;
      const policies = attached(model, role, 'aws_iam_role_policy', 'role', ROLE_NAMES);
      if (inlineTotal(role, policies, undefined) > LIMIT.defaultValue) {
        const parts: string[] = [];
        const total = inlineTotal(role, policies, parts);
        results.push({ node: role, message: `inline policies total ${total} characters (${parts.join(', ')}; white space not counted); the limit is ${LIMIT.defaultValue} per role and cannot be raised (${LIMIT.source})` });
      }
    }
    return results;
  },
};

const ROLE_NAMES: readonly string[] = Object.freeze(['name', 'id']);

/** The role's inline policies' characters together; each one's share is added to `parts` when given (for the message). */
function inlineTotal(role: ResourceNode, policies: readonly ResourceNode[], parts: string[] | undefined): number {
  let total = 0;
  for (const b of blocks(role.values.inline_policy)) {
    const n = policyChars(b.policy);
    if (n !== undefined) {
      total += n;
      parts?.push(`inline_policy ${String(b.name ?? '')}: ${n}`.trim());
    }
  }
  for (const p of policies) {
    const n = policyChars(p.values.policy);
    if (n !== undefined) {
      total += n * p.count;
      parts?.push(`${p.address}: ${n}${p.count > 1 ? ` ×${p.count}` : ''}`);
    }
  }
  return total;
}
