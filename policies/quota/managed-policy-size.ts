import { judgeManaged } from '../lib/judge';
import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';
import { policyChars, policyCharsAtMost } from './lib/size';

const LIMIT = limitOf('iam-managed-policy-size');

export const rule: Rule = {
  id: 'quota/managed-policy-size',
  title: 'Customer managed policy within the size limit',
  category: 'quota',
  severity: 'high',
  rationale: `CreatePolicy fails for a document longer than the limit. ${LIMIT.cite}.`,
  remediation: 'Split the policy into several customer managed policies, or use wildcards in resource ARNs where least privilege allows.',
  check(model) {
    return judgeManaged(model, 'aws_iam_policy', judge, undefined);
  },
};

function judge(policy: ResourceNode, results: RuleResult[]): void {
  // Only a document that may exceed the limit is measured.
  const most = policyCharsAtMost(policy.values.policy);
  if (most === undefined || most <= LIMIT.defaultValue) return;
  const size = policyChars(policy.values.policy);
  if (size !== undefined && size > LIMIT.defaultValue) {
    results.push({ node: policy, message: `policy document is ${size} characters (white space not counted); the limit is ${LIMIT.defaultValue} and cannot be raised (${LIMIT.source})` });
  }
}
