import type { Rule, RuleResult } from '../rule';
import { unscopedGrants } from './lib/unscoped';
import sensitive from '../data/iam/sensitive-actions.json';

/** Actions whose response is a credential (iam:CreateAccessKey, sts:AssumeRole …) on every resource. */
export const rule: Rule = {
  id: 'iam/credentials-exposure-on-star',
  title: 'IAM policy allows obtaining credentials for every resource',
  category: 'iam',
  severity: 'high',
  rationale: `These actions return credentials (access keys, passwords, session tokens). Allowed on "*" — e.g. sts:AssumeRole on every role — the principal can become any other principal that trusts the account. Wildcard-only actions such as ecr:GetAuthorizationToken are exempt. List: ${sensitive.credentialsExposure.source}.`,
  remediation: 'Scope each action to the specific users or roles (ARNs) the workload needs; for sts:AssumeRole name the role ARNs.',
  equivalents: { checkov: ['CKV_AWS_107', 'CKV_AWS_287'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    for (const g of unscopedGrants(model, ctx.iam)) {
      for (const action of g.buckets.get('credentials') ?? []) {
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
