import { judgeManaged } from '../lib/judge';
import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';
import { policyChars, policyCharsAtMost } from './lib/size';

const LIMIT = limitOf('iam-role-trust-policy-length');

export const rule: Rule = {
  id: 'quota/role-trust-policy-size',
  title: 'IAM role trust policy within the length quota',
  category: 'quota',
  severity: 'high',
  rationale: `CreateRole / UpdateAssumeRolePolicy fail when the trust policy is longer than the account's quota. ${LIMIT.cite}.`,
  remediation: 'Shorten the trust policy (merge statements, use conditions on aws:PrincipalOrgID instead of listing accounts), or raise "Role trust policy length" in Service Quotas.',
  check(model) {
    return judgeManaged(model, 'aws_iam_role', judge, undefined);
  },
};

function judge(role: ResourceNode, results: RuleResult[]): void {
  const doc = role.values.assume_role_policy;
  // Most trust policies are a few hundred characters: only one that may exceed the quota is measured.
  const most = policyCharsAtMost(doc);
  if (most === undefined || most <= LIMIT.defaultValue) return;
  const size = policyChars(doc);
  if (size !== undefined && size > LIMIT.defaultValue) {
    results.push({ node: role, message: `trust policy is ${size} characters (white space not counted); the default quota is ${LIMIT.defaultValue} (${LIMIT.quotaCode}, adjustable; ${LIMIT.source})` });
  }
}
