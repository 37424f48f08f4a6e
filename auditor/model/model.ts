/**
 * The in-memory resource model: nodes indexed by id, address, block and type, and the reference
 * graph in both directions. Built once per audit in time linear in the size of the input.
 */
import type { PolicyView, PrincipalView, ResourceModel, ResourceNode, StackInfo } from './types';
import { blockOf, traversals } from './refs';
import { buildIamViews } from '../iam/normalise-views';

/** A node as a loader produces it, before references are linked. */
export type RawNode = Omit<ResourceNode, 'id' | 'references'>;

const SEP = '\u0000';
const EMPTY: readonly ResourceNode[] = Object.freeze([]);

export class Model implements ResourceModel {
  readonly resources: readonly ResourceNode[];
  private readonly byAddress = new Map<string, ResourceNode>();
  private readonly byBlock = new Map<string, ResourceNode[]>();
  private readonly byTypeIndex = new Map<string, ResourceNode[]>();
  private readonly out = new Map<ResourceNode, ResourceNode[]>();
  private readonly in = new Map<ResourceNode, ResourceNode[]>();
  private iam?: { principals: readonly PrincipalView[]; resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[] };

  constructor(readonly inputs: readonly string[], readonly stacks: readonly StackInfo[], raw: readonly RawNode[]) {
    const nodes: ResourceNode[] = [];
    const mutableRefs = new Map<ResourceNode, string[]>();
    for (const r of raw) {
      const references: string[] = [];
      const node: ResourceNode = { ...r, id: `${r.stack}/${r.address}`, references };
      mutableRefs.set(node, references);
      nodes.push(node);
      this.byAddress.set(r.stack + SEP + r.address, node);
      push(this.byBlock, r.stack + SEP + r.blockAddress, node);
      push(this.byTypeIndex, r.type, node);
    }
    this.resources = nodes;
    for (const node of nodes) {
      const seen = new Set<ResourceNode>();
      const refs = mutableRefs.get(node)!;
      forEachInterpolated(node.values, (s) => {
        for (const t of traversals(s)) {
          for (const target of this.targets(node.stack, t.block, t.instance, node.module)) {
            if (target === node || seen.has(target)) continue;
            seen.add(target);
            refs.push(target.address);
            push(this.out, node, target);
            push(this.in, target, node);
          }
        }
      });
    }
  }

  /** Nodes a traversal names: the instance when indexed and present, else every instance of the block. Module-local first. */
  private targets(stack: string, block: string, instance: string | undefined, module: string | undefined): readonly ResourceNode[] {
    const scopes = module ? [`${module}.`, ''] : [''];
    for (const scope of scopes) {
      if (instance) {
        const exact = this.byAddress.get(stack + SEP + scope + instance);
        if (exact) return [exact];
      }
      const all = this.byBlock.get(stack + SEP + scope + block);
      if (all) return all;
    }
    return EMPTY;
  }

  byType(type: string): readonly ResourceNode[] {
    return this.byTypeIndex.get(type) ?? EMPTY;
  }

  get(stack: string, address: string): ResourceNode | undefined {
    return this.byAddress.get(stack + SEP + address) ?? this.byBlock.get(stack + SEP + blockOf(address))?.[0];
  }

  /** Every node at a block address (all instances of a counted plan resource). */
  instances(stack: string, blockAddress: string): readonly ResourceNode[] {
    return this.byBlock.get(stack + SEP + blockAddress) ?? EMPTY;
  }

  referencedBy(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = this.out.get(node) ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  referencing(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = this.in.get(node) ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  resolve(stack: string, value: unknown, from?: ResourceNode): ResourceNode | undefined {
    if (typeof value !== 'string') return undefined;
    for (const t of traversals(value)) {
      const hit = this.targets(stack, t.block, t.instance, from?.module);
      if (hit.length) return hit[0];
    }
    return undefined;
  }

  principals(): readonly PrincipalView[] {
    return (this.iam ??= buildIamViews(this)).principals;
  }

  resourcePolicies(): readonly { readonly target?: ResourceNode; readonly policy: PolicyView }[] {
    return (this.iam ??= buildIamViews(this)).resourcePolicies;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Visit every string holding a `${…}` in a JSON-like value, iteratively (values are depth-bounded by the loader anyway). */
export function forEachInterpolated(value: unknown, visit: (s: string) => void): void {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.indexOf('${') >= 0) visit(v);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v as Record<string, unknown>) stack.push((v as Record<string, unknown>)[k]);
    }
  }
}
