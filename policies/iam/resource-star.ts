import type { Rule, RuleResult } from '../rule';
import { sample } from './lib/analysis';
import { unscopedGrants } from './lib/unscoped';

/**
 * Read and list actions that support resource-level permissions, allowed on every resource.
 * Write, permissions-management, data-exfiltration and credential actions on "*" have their own
 * rules; wildcard-only actions (e.g. ec2:DescribeSubnets, ecr:GetAuthorizationToken) are exempt.
 */
export const rule: Rule = {
  id: 'iam/resource-star',
  title: 'IAM policy uses Resource "*" for actions that can be scoped',
  category: 'iam',
  severity: 'low',
  rationale:
    'These actions accept specific resource ARNs; granting them on "*" reads every resource of the kind in the account, far more than the workload uses.',
  remediation: 'Replace "*" with the ARNs (or Terraform references) of the resources read; keep "*" only for wildcard-only actions.',
  equivalents: { checkov: ['CKV_AWS_355', 'CKV_AWS_356'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    for (const g of unscopedGrants(model, ctx.iam)) {
      const actions = g.buckets.get('other');
      if (!actions) continue;
      out.push({
        node: g.doc.node,
        detail: g.pattern,
        message: `${g.doc.policy.name} statement ${g.facts.label}: "${g.pattern}" allows ${actions.length} read/list action(s) that support resource-level permissions on every resource (${sample(actions)})`,
      });
    }
    return out;
  },
};
