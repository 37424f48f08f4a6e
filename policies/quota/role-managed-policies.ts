import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { judgeManaged } from '../lib/judge';
import { attachedTo, NAME_OR_ID, NO_NODES } from '../lib/links';
import { literal } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { countedAddress } from './lib/counted';
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
    return judgeManaged(model, 'aws_iam_role', judge, { model, policyAttachments: policyAttachmentsByStack(model) });
  },
};


interface Context {
  readonly model: ResourceModel;
  /** Managed aws_iam_policy_attachment resources with a `roles` list, per stack. */
  readonly policyAttachments: Map<string, ResourceNode[]>;
}

function judge(role: ResourceNode, results: RuleResult[], { model, policyAttachments }: Context): void {
  const pas = policyAttachments.get(role.stack) ?? NO_NODES;
  const exclusive = attachedTo(model, role, 'aws_iam_role_policy_attachments_exclusive', 'role_name', NAME_OR_ID);
  const attachments = attachedTo(model, role, 'aws_iam_role_policy_attachment', 'role', NAME_OR_ID);
  // Nearly every role is far below the quota even counting every ARN as distinct: only the others are counted exactly.
  if (countAtMost(model, role, exclusive, attachments, pas) <= LIMIT.defaultValue) return;
  if (attachedCount(model, role, exclusive, attachments, pas, undefined) <= LIMIT.defaultValue) return;
  const via: string[] = [];
  const count = attachedCount(model, role, exclusive, attachments, pas, via);
  results.push({
    node: role,
    message: `${count} managed policies attached (${via.join(', ')}); the default quota is ${LIMIT.defaultValue} per role (${LIMIT.quotaCode}, adjustable; ${LIMIT.source})`,
  });
}

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

/** An upper bound of `attachedCount`: every listed ARN taken as distinct. */
function countAtMost(model: ResourceModel, role: ResourceNode, exclusive: readonly ResourceNode[], attachments: readonly ResourceNode[], policyAttachments: readonly ResourceNode[]): number {
  let n = listLength(role.values.managed_policy_arns);
  for (let i = 0; i < exclusive.length; i++) n += listLength(exclusive[i].values.policy_arns);
  for (let i = 0; i < attachments.length; i++) {
    const a = attachments[i];
    if (!(a.count >= 0)) return Infinity; // a count no bound can use: count exactly
    n += a.count === 1 && literal(a.values.policy_arn) !== undefined ? 1 : a.count;
  }
  for (let i = 0; i < policyAttachments.length; i++) {
    const pa = policyAttachments[i];
    if (namesRole(model, pa, role)) {
      if (!(pa.count >= 0)) return Infinity;
      n += pa.count;
    }
  }
  return n;
}

function listLength(values: unknown): number {
  return Array.isArray(values) ? values.length : 0;
}

/**
 * Add the policy ARNs of a list attribute to `arns` (made when first needed) and return it; when
 * `via` is given, note there how many were new, and where.
 */
function addArns(arns: Set<string> | undefined, via: string[] | undefined, values: unknown, from: ResourceNode, attr?: string): Set<string> | undefined {
  if (!Array.isArray(values)) return arns;
  arns ??= new Set();
  const before = arns.size;
  for (const v of values) arns.add(typeof v === 'string' ? v : JSON.stringify(v));
  if (via && arns.size > before) via.push(`${arns.size - before} in ${attr ? `${from.address}.${attr}` : from.address}`);
  return arns;
}

/** Does an aws_iam_policy_attachment list the role in `roles` (by reference, or by its literal name)? */
function namesRole(model: ResourceModel, pa: ResourceNode, role: ResourceNode): boolean {
  const roles = pa.values.roles as unknown[];
  const name = literal(role.values.name);
  for (let i = 0; i < roles.length; i++) {
    const r = roles[i];
    if (typeof r === 'string' && r.includes('${') ? model.resolve(pa.stack, r)?.id === role.id : name !== undefined && r === name) return true;
  }
  return false;
}

/** Managed policies attached to the role (distinct ARNs once, counted attachments by their count); each source noted in `via` when given. */
function attachedCount(
  model: ResourceModel,
  role: ResourceNode,
  exclusive: readonly ResourceNode[],
  attachments: readonly ResourceNode[],
  policyAttachments: readonly ResourceNode[],
  via: string[] | undefined,
): number {
  let count = 0;
  let arns = addArns(undefined, via, role.values.managed_policy_arns, role, 'managed_policy_arns');
  for (const ex of exclusive) arns = addArns(arns, via, ex.values.policy_arns, ex);
  for (const a of attachments) {
    const arn = literal(a.values.policy_arn);
    if (a.count === 1 && arn !== undefined) {
      if (arns?.has(arn)) continue; // attaching the same policy twice is one attachment
      (arns ??= new Set()).add(arn);
      via?.push(a.address);
      continue;
    }
    count += a.count;
    via?.push(countedAddress(a));
  }
  for (const pa of policyAttachments) {
    if (namesRole(model, pa, role)) {
      count += pa.count;
      via?.push(pa.address);
    }
  }
  return count + (arns?.size ?? 0);
}
