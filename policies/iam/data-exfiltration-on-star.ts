import type { Rule, RuleResult } from '../rule';
import { unscopedGrants } from './lib/unscoped';
import sensitive from '../data/iam/sensitive-actions.json';

/** s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt … on every resource. */
export const rule: Rule = {
  id: 'iam/data-exfiltration-on-star',
  title: 'IAM policy allows reading secrets or data on every resource',
  category: 'iam',
  severity: 'high',
  rationale: `These actions return the contents of objects, secrets, parameters or decrypted data. Allowed on "*" they read every bucket, secret and key in the account. List: ${sensitive.dataExfiltration.source}.`,
  remediation: 'Scope each action to the specific bucket paths, secret ARNs, parameter paths and key ARNs the workload reads.',
  equivalents: { checkov: ['CKV_AWS_108', 'CKV_AWS_288'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    for (const g of unscopedGrants(model, ctx.iam)) {
      for (const action of g.buckets.get('exfiltration') ?? []) {
        out.push({
          node: g.doc.node,
          detail: action,
          message: `${g.doc.policy.name} statement ${g.facts.label} allows ${action} on every resource${g.pattern !== action ? ` (via "${g.pattern}")` : ''}`,
        });
      }
    }
    return out;
  },
};
