import type { Rule, RuleResult, Severity } from '../rule';
import type { ResourceNode } from '../../auditor/model/types';

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/;

/** Severity per AWS-managed policy name; every other `*FullAccess` policy is medium. */
const NAMED: Readonly<Record<string, Severity>> = {
  AdministratorAccess: 'critical',
  PowerUserAccess: 'high',
  IAMFullAccess: 'high',
};

/** `Object.prototype` names (`constructor`, `toString` …) are not in NAMED: only its own keys count. */
function severityOf(name: string): Severity | undefined {
  if (Object.prototype.hasOwnProperty.call(NAMED, name)) return NAMED[name];
  return name.endsWith('FullAccess') ? 'medium' : undefined;
}

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
    // Per policy ARN, the managed policy's name and severity (undefined: not a broad one); ARNs repeat across principals.
    const byArn = new Map<string, { readonly name: string; readonly severity: Severity } | undefined>();
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const principals = model.principals();
    for (let i = 0; i < principals.length; i++) {
      const p = principals[i];
      // What this principal was already reported for: [node, name] pairs (a principal has a handful of policies).
      let reported: [ResourceNode, string][] | undefined;
      for (let k = 0; k < p.policies.length; k++) {
        const policy = p.policies[k];
        if (policy.kind !== 'aws-managed') continue;
        let broad = byArn.get(policy.name);
        if (!byArn.has(policy.name)) {
          const name = managedPolicyName(policy.name);
          const severity = name ? severityOf(name) : undefined;
          broad = name && severity ? { name, severity } : undefined;
          byArn.set(policy.name, broad);
        }
        if (!broad) continue;
        const node = policy.source ?? p.node;
        if (reported?.some(([n, name]) => n.id === node.id && name === broad.name)) continue;
        (reported ??= []).push([node, broad.name]);
        out.push({ node, detail: broad.name, severity: broad.severity, message: `${p.node.address} has the AWS-managed policy ${broad.name} attached` });
      }
    }
    return out;
  },
};
