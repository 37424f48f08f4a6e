import type { Rule, RuleResult } from '../rule';
import { sample } from './lib/analysis';
import { unscopedGrants } from './lib/unscoped';

/** Write and tagging actions that support resource-level permissions, allowed on every resource. */
export const rule: Rule = {
  id: 'iam/write-on-star',
  title: 'IAM policy allows write actions on every resource',
  category: 'iam',
  severity: 'medium',
  rationale:
    'Write actions allowed on "*" let the principal modify or delete every resource of that kind in the account, not only the ones it owns; a compromised build could overwrite another pipeline\'s artifacts or state.',
  remediation:
    'Name the resources: use the ARNs (or Terraform references) of the buckets, tables, log groups and projects this principal writes to.',
  equivalents: { checkov: ['CKV_AWS_111', 'CKV_AWS_290'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    for (const g of unscopedGrants(model, ctx.iam)) {
      const actions = g.buckets.get('write');
      if (!actions) continue;
      out.push({
        node: g.doc.node,
        detail: g.pattern,
        message: `${g.doc.policy.name} statement ${g.facts.label}: "${g.pattern}" allows ${actions.length} write action(s) on every resource (${sample(actions)})`,
      });
    }
    return out;
  },
};
