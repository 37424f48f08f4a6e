/** A minimal in-memory ResourceModel for pricing unit tests (no loader needed). */
import type { ResourceModel, ResourceNode, StackInfo } from '../../auditor/model/types';

export interface FakeResource {
  type: string;
  name: string;
  values?: Record<string, unknown>;
  count?: number;
  stack?: string;
  address?: string;
  action?: ResourceNode['action'];
  mode?: 'managed' | 'data';
}

export function fakeModel(resources: FakeResource[], stacks: Partial<StackInfo>[] = [{ name: 'app', region: 'us-east-1' }]): ResourceModel {
  const nodes: ResourceNode[] = resources.map((r) => {
    const stack = r.stack ?? stacks[0]?.name ?? 'app';
    const address = r.address ?? `${r.type}.${r.name}`;
    const values = Object.assign(Object.create(null), r.values ?? {}) as Record<string, unknown>;
    const refs = new Set<string>();
    JSON.stringify(values).replace(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)/g, (_m, a: string) => {
      refs.add(a);
      return '';
    });
    return {
      id: `${stack}/${address}`,
      stack,
      address,
      blockAddress: address.replace(/\[[^\]]*\]$/, ''),
      mode: r.mode ?? 'managed',
      type: r.type,
      name: r.name,
      values,
      count: r.count ?? 1,
      action: r.action,
      references: [...refs],
      suppressions: [],
      file: 'fake.tf.json',
    } as ResourceNode;
  });
  const get = (stack: string, address: string) => nodes.find((n) => n.stack === stack && n.address === address);
  const model: ResourceModel = {
    inputs: ['fake'],
    stacks: stacks.map((s) => ({ name: s.name ?? 'app', file: 'fake.tf.json', kind: 'config', region: s.region })),
    resources: nodes,
    byType: (t) => nodes.filter((n) => n.type === t),
    get,
    referencedBy: (node, type) => node.references.map((a) => get(node.stack, a)).filter((n): n is ResourceNode => !!n && (!type || n.type === type)),
    referencing: (node, type) => nodes.filter((n) => n.stack === node.stack && n.references.includes(node.address) && (!type || n.type === type)),
    resolve: (stack, value) => {
      if (typeof value !== 'string') return undefined;
      const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)/.exec(value);
      return m ? get(stack, m[1]) : undefined;
    },
    principals: () => [],
    resourcePolicies: () => [],
  };
  return model;
}
