/** Test helper: a ResourceModel from hand-made nodes (for plan actions before a plan loader is involved). */
import type { PlanAction, ResourceModel, ResourceNode, StackInfo } from '../../auditor/model/types';

export interface FakeNode {
  stack?: string;
  type: string;
  name: string;
  values?: Record<string, unknown>;
  count?: number;
  action?: PlanAction;
  index?: number;
}

export function fakeModel(nodes: FakeNode[], stacks: StackInfo[] = [{ name: 'plan', file: 'plan.json', kind: 'plan', region: 'eu-west-1' }]): ResourceModel {
  const resources: ResourceNode[] = nodes.map((n) => {
    const stack = n.stack ?? stacks[0].name;
    const block = `${n.type}.${n.name}`;
    const address = n.index === undefined ? block : `${block}[${n.index}]`;
    return {
      id: `${stack}/${address}`,
      stack,
      address,
      blockAddress: block,
      mode: 'managed',
      type: n.type,
      name: n.name,
      values: n.values ?? {},
      count: n.count ?? 1,
      action: n.action,
      references: [],
      suppressions: [],
      file: 'plan.json',
    } as ResourceNode;
  });
  const unsupported = (): never => {
    throw new Error('not used by these tests');
  };
  return {
    inputs: stacks.map((s) => s.file),
    stacks,
    resources,
    byType: (type) => resources.filter((r) => r.type === type),
    get: (stack, address) => resources.find((r) => r.stack === stack && r.address === address),
    referencedBy: unsupported,
    referencing: unsupported,
    resolve: unsupported,
    principals: unsupported,
    resourcePolicies: unsupported,
  };
}
