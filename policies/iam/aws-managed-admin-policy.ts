import type { Rule, RuleResult, Severity } from '../rule';

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/;

/** Severity per AWS-managed policy name; every other `*FullAccess` policy is medium. */
const NAMED: Readonly<Record<string, Severity>> = {
  AdministratorAccess: 'critical',
  PowerUserAccess: 'high',
  IAMFullAccess: 'high',
};

export function managedPolicyName(arn: string): string | undefined {
  return AWS_MANAGED.exec(arn)?.[1];
}

/** AdministratorAccess, PowerUserAccess, IAMFullAccess or any *FullAccess AWS-managed policy attached to a principal. */
export const rule: Rule = {
  id: 'iam/aws-managed-admin-policy',
  title: 'Broad AWS-managed policy attached (AdministratorAccess, PowerUserAccess, IAMFullAccess, *FullAccess)',
  category: 'iam',
  severity: 'high',
  rationale:
    'AWS-managed administrator, power-user and full-access policies grant every action of one or all services on every resource, and AWS changes them over time; a delivery pipeline needs a few actions on its own resources.',
  remediation:
    'Detach the managed policy and grant an inline or customer-managed policy with the specific actions on the ARNs the role uses. Severity: AdministratorAccess critical; PowerUserAccess and IAMFullAccess high; other *FullAccess medium.',
  equivalents: { checkov: ['CKV_AWS_274', 'CKV_AWS_275'], cdkNag: ['AwsSolutions-IAM4'] },
  check(model) {
    const out: RuleResult[] = [];
    const seen = new Set<string>();
    for (const p of model.principals()) {
      for (const policy of p.policies) {
        if (policy.kind !== 'aws-managed') continue;
        const name = managedPolicyName(policy.name);
        if (!name) continue;
        const severity: Severity | undefined = NAMED[name] ?? (name.endsWith('FullAccess') ? 'medium' : undefined);
        if (!severity) continue;
        const node = policy.source ?? p.node;
        const key = `${node.id}|${p.node.id}|${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ node, detail: name, severity, message: `${p.node.address} has the AWS-managed policy ${name} attached` });
      }
    }
    return out;
  },
};
