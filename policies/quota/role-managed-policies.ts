import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { attached } from '../lib/links';
import { literal } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('iam-managed-policies-per-role');

/**
 * Counts managed policies attached to each role, from every way Terraform attaches them:
 * aws_iam_role_policy_attachment (× its count), aws_iam_role.managed_policy_arns,
 * aws_iam_role_policy_attachments_exclusive.policy_arns and aws_iam_policy_attachment.roles.
 */
export const rule: Rule = {
  id: 'quota/role-managed-policies',
  title: 'IAM role within the managed policies per role quota',
  category: 'quota',
  severity: 'high',
  rationale: `IAM refuses to attach more managed policies to a role than the account's quota allows, failing the apply half way. ${LIMIT.cite}.`,
  remediation: 'Merge the permissions into fewer customer managed policies (or an inline policy), or raise "Managed policies per role" in Service Quotas before applying.',
  check(model) {
    const results: RuleResult[] = [];
    const policyAttachments = policyAttachmentsByStack(model);
    for (const role of model.byType('aws_iam_role')) {
      if (role.mode !== 'managed') continue;
      const { count, via } = attachedCount(model, role, policyAttachments.get(role.stack) ?? NONE);
      if (count > LIMIT.defaultValue) {
        results.push({
          node: role,
          message: `${count} managed policies attached (${via.join(', ')}); the default quota is ${LIMIT.defaultValue} per role (${LIMIT.quotaCode}, adjustable; ${LIMIT.source})`,
        });
      }
    }
    return results;
  },
};

const ROLE_NAMES: readonly string[] = Object.freeze(['name', 'id']);
const NONE: readonly ResourceNode[] = Object.freeze([]);

/** Managed aws_iam_policy_attachment resources with a `roles` list, per stack, in model order: looked at once, not once per role. */
function policyAttachmentsByStack(model: ResourceModel): Map<string, ResourceNode[]> {
  const byStack = new Map<string, ResourceNode[]>();
  for (const pa of model.byType('aws_iam_policy_attachment')) {
    if (!Array.isArray(pa.values.roles) || pa.mode !== 'managed') continue;
    const list = byStack.get(pa.stack);
    if (list) list.push(pa);
    else byStack.set(pa.stack, [pa]);
  }
  return byStack;
}

/** Add the policy ARNs of a list attribute to `arns`; note how many were new, and where, in `via`. */
function addArns(arns: Set<string>, via: string[], values: unknown, from: ResourceNode, attr?: string): void {
  if (!Array.isArray(values)) return;
  const before = arns.size;
  for (const v of values) arns.add(typeof v === 'string' ? v : JSON.stringify(v));
  if (arns.size > before) via.push(`${arns.size - before} in ${attr ? `${from.address}.${attr}` : from.address}`);
}

function attachedCount(model: ResourceModel, role: ResourceNode, policyAttachments: readonly ResourceNode[]): { count: number; via: string[] } {
  const via: string[] = [];
  let count = 0;
  const arns = new Set<string>();
  addArns(arns, via, role.values.managed_policy_arns, role, 'managed_policy_arns');
  for (const ex of attached(model, role, 'aws_iam_role_policy_attachments_exclusive', 'role_name', ROLE_NAMES)) {
    addArns(arns, via, ex.values.policy_arns, ex);
  }
  for (const a of attached(model, role, 'aws_iam_role_policy_attachment', 'role', ROLE_NAMES)) {
    const arn = literal(a.values.policy_arn);
    if (a.count === 1 && arn !== undefined) {
      if (arns.has(arn)) continue; // attaching the same policy twice is one attachment
      arns.add(arn);
      via.push(a.address);
      continue;
    }
    count += a.count;
    via.push(a.count === 1 ? a.address : `${a.address} ×${a.count}`);
  }
  if (policyAttachments.length > 0) {
    const name = literal(role.values.name);
    for (const pa of policyAttachments) {
      const roles = pa.values.roles as unknown[];
      const hit = roles.some((r) => (typeof r === 'string' && r.includes('${') ? model.resolve(pa.stack, r)?.id === role.id : name !== undefined && r === name));
      if (hit) {
        count += pa.count;
        via.push(pa.address);
      }
    }
  }
  return { count: count + arns.size, via };
}
