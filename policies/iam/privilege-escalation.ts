import type { Rule, RuleResult } from '../rule';
import type { IamCatalog } from '../context';
import type { PrincipalView, ResourceModel } from '../../auditor/model/types';
import { PrincipalPermissions, documentFacts, principalsPermissions } from './lib/analysis';
import escalation from '../data/iam/privilege-escalation.json';

type Method = (typeof escalation.methods)[number];

/**
 * Known privilege-escalation methods (cloudsplaining's published list, kept as data in
 * policies/data/iam/privilege-escalation.json), evaluated over everything a principal may do
 * after wildcard expansion, across all its inline and attached policies.
 */
export const rule: Rule = {
  id: 'iam/privilege-escalation',
  title: 'Principal can escalate its own privileges',
  category: 'iam',
  severity: 'high',
  rationale: `The principal holds every action of a known privilege-escalation method (e.g. iam:PassRole + codebuild:CreateProject + codebuild:StartBuild runs code as any passable role; iam:CreatePolicyVersion rewrites its own policy). Methods: ${escalation.source}.`,
  remediation:
    'Remove one action of the combination, or scope it to resources that cannot raise privileges (iam:PassRole to one named role with an iam:PassedToService condition, codebuild:StartBuild to one project, no iam:* policy-writing actions).',
  equivalents: { checkov: ['CKV_AWS_110', 'CKV_AWS_286'] },
  check(model, ctx) {
    const out: RuleResult[] = [];
    // Principals with the same grants share one PrincipalPermissions: check the methods once per set.
    const heldBy = new Map<PrincipalPermissions, Method[]>();
    const principals = model.principals();
    const permissions = principalsPermissions(model, ctx.iam);
    for (let i = 0; i < principals.length; i++) {
      const p = principals[i];
      const perms = permissions[i];
      if (perms.allowed.size === 0) continue;
      let held = heldBy.get(perms);
      if (!held) {
        held = escalation.methods.filter((method) => method.actions.every((a) => perms.allowed.has(a)));
        heldBy.set(perms, held);
      }
      const admin = held.length > 1 ? fullAdminGrant(model, p, ctx.iam) : undefined;
      if (admin) {
        // Already an administrator (iam/admin-star reports the grant as critical): one finding, not one per method.
        out.push({
          node: p.node,
          detail: 'full-admin',
          severity: 'high',
          message: `${p.node.address} can escalate privileges by ${held.length} known methods (${held
            .slice(0, 3)
            .map((m) => m.name)
            .join(', ')}, …): ${admin} allows "*" on every resource; see ${escalation.source.split(' ')[0]}`,
        });
        continue;
      }
      for (const method of held) {
        const broad = method.actions.some((a) => perms.unscoped.has(a));
        out.push({
          node: p.node,
          detail: method.name,
          severity: broad ? 'high' : 'medium',
          message: `${p.node.address} can escalate privileges (${method.name}): it is allowed ${method.actions.join(' + ')}${broad ? ', at least one on every resource' : ' (on specific resources only)'}; see ${method.reference}`,
        });
      }
    }
    return out;
  },
};

/** The name of a policy of `p` with an unconditional Allow of "*" on every resource, if any. */
function fullAdminGrant(model: ResourceModel, p: PrincipalView, iam: IamCatalog): string | undefined {
  for (const policy of p.policies) {
    if (!policy.document) continue;
    for (const f of documentFacts(model, policy.document, iam)) {
      if (f.allow && f.unscoped && !f.hasConditions && f.statement.actions && f.patterns.some((x) => x.pattern === '*' || x.pattern === '*:*')) return policy.name;
    }
  }
  return undefined;
}
