/** A hand-built ResourceModel for engine, suppression and report tests (no loader involved). */
import type { ResourceModel, ResourceNode, Suppression } from '../../auditor/model/types';
import type { IamCatalog, RuleContext } from '../../policies/context';

export function node(stack: string, address: string, extra: Partial<{ values: Record<string, unknown>; suppressions: Suppression[]; constructPath: string; file: string }> = {}): ResourceNode {
  const [type, name] = address.replace(/\[.*\]$/, '').split('.');
  return {
    id: `${stack}/${address}`,
    stack,
    address,
    blockAddress: address.replace(/\[.*\]$/, ''),
    mode: 'managed',
    type,
    name,
    values: extra.values ?? {},
    count: 1,
    references: [],
    suppressions: extra.suppressions ?? [],
    file: extra.file ?? `/work/in/${stack}/cdk.tf.json`,
    ...(extra.constructPath ? { constructPath: extra.constructPath } : {}),
  };
}

export function fakeModel(nodes: ResourceNode[]): ResourceModel {
  const byId = new Map(nodes.map((n) => [`${n.stack}/${n.address}`, n]));
  return {
    inputs: ['in'],
    stacks: [...new Set(nodes.map((n) => n.stack))].map((name) => ({ name, file: `${name}/cdk.tf.json`, kind: 'config' as const })),
    resources: nodes,
    byType: (t) => nodes.filter((n) => n.type === t),
    get: (s, a) => byId.get(`${s}/${a}`),
    referencedBy: () => [],
    referencing: () => [],
    resolve: () => undefined,
    principals: () => [],
    resourcePolicies: () => [],
  };
}

export const noIam: IamCatalog = {
  serviceExists: () => false,
  actionExists: () => false,
  expand: () => [],
  accessLevel: () => undefined,
  resourceTypes: () => [],
};

export function ctx(today = '2025-06-01'): RuleContext {
  return { iam: noIam, quotas: [], today };
}
