import type { Rule, RuleResult } from '../rule';
import { sample } from './lib/analysis';
import { unscopedGrants } from './lib/unscoped';

/** Permissions-management actions (iam:AttachRolePolicy, s3:PutBucketPolicy, kms:CreateGrant …) on every resource. */
export const rule: Rule = {
  id: 'iam/permissions-management-on-star',
  title: 'IAM policy allows permissions-management actions on every resource',
  category: 'iam',
  severity: 'high',
  rationale:
    'Permissions-management actions change who may do what (identity policies, bucket and key policies, grants, shares). Allowed on "*", they let the principal expose any resource or grant itself more access.',
  remediation:
    'Scope these actions to the ARNs of the resources this workload owns, or drop them: pipelines rarely need to change permissions at run time.',
  equivalents: { checkov: ['CKV_AWS_109', 'CKV_AWS_289'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    for (const g of unscopedGrants(model, ctx.iam)) {
      const actions = g.buckets.get('permissions');
      if (!actions) continue;
      out.push({
        node: g.doc.node,
        detail: g.pattern,
        message: `${g.doc.policy.name} statement ${g.facts.label}: "${g.pattern}" allows ${actions.length} permissions-management action(s) on every resource (${sample(actions)})`,
      });
    }
    return out;
  },
};
