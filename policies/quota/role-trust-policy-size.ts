import { managed } from '../lib/links';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';
import { policyChars } from './lib/size';

const LIMIT = limitOf('iam-role-trust-policy-length');

export const rule: Rule = {
  id: 'quota/role-trust-policy-size',
  title: 'IAM role trust policy within the length quota',
  category: 'quota',
  severity: 'high',
  rationale: `CreateRole / UpdateAssumeRolePolicy fail when the trust policy is longer than the account's quota. ${LIMIT.cite}.`,
  remediation: 'Shorten the trust policy (merge statements, use conditions on aws:PrincipalOrgID instead of listing accounts), or raise "Role trust policy length" in Service Quotas.',
  check(model) {
    const results: RuleResult[] = [];
    for (const role of managed(model, 'aws_iam_role')) {
      const size = policyChars(role.values.assume_role_policy);
      if (size !== undefined && size > LIMIT.defaultValue) {
        results.push({ node: role, message: `trust policy is ${size} characters (white space not counted); the default quota is ${LIMIT.defaultValue} (${LIMIT.quotaCode}, adjustable; ${LIMIT.source})` });
      }
    }
    return results;
  },
};
