import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { judgeManaged } from '../lib/judge';
import { attachedTo, NAME_OR_ID } from '../lib/links';
import { blockItems, blocks } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';
import { policyChars, policyCharsAtMost } from './lib/size';

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
    return judgeManaged(model, 'aws_iam_role', judge, model);
  },
};

function judge(role: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const policies = attachedTo(model, role, 'aws_iam_role_policy', 'role', NAME_OR_ID);
  // Only a role whose inline policies may exceed the limit together has them measured.
  if (inlineTotalAtMost(role, policies) <= LIMIT.defaultValue) return;
  if (inlineTotal(role, policies, undefined) > LIMIT.defaultValue) {
    const parts: string[] = [];
    const total = inlineTotal(role, policies, parts);
    results.push({ node: role, message: `inline policies total ${total} characters (${parts.join(', ')}; white space not counted); the limit is ${LIMIT.defaultValue} per role and cannot be raised (${LIMIT.source})` });
  }
}


/** An upper bound of `inlineTotal`, read from the policy texts without parsing them. */
function inlineTotalAtMost(role: ResourceNode, policies: readonly ResourceNode[]): number {
  let total = 0;
  const inline = blockItems(role.values.inline_policy);
  for (let i = 0; i < inline.length; i++) total += policyCharsAtMost(inline[i].policy) ?? 0;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    if (!(p.count >= 0)) return Infinity; // a count no bound can scale: measure exactly
    total += (policyCharsAtMost(p.values.policy) ?? 0) * p.count;
  }
  return total;
}

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
