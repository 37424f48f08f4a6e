/**
 * The in-memory resource model: nodes indexed by id, address, block and type, and the reference
 * graph in both directions. Built once per audit in time linear in the size of the input.
 */
import type { PolicyView, PrincipalView, ResourceModel, ResourceNode, StackInfo } from './types';
import { Unknown } from './types';
import type { Node } from './node';
import { TRAVERSAL_STRIDE, blockOf, scanTraversalOffsets } from './refs';
import { buildIamViews } from '../iam/normalise-views';

const EMPTY: readonly ResourceNode[] = Object.freeze([]);
/** Traversal offsets of the value `resolve` is reading (it calls nothing that resolves again). */
const RESOLVE_SCRATCH: number[] = [];

type Index<V> = Map<string, Map<string, V>>;
function getIn<V>(m: Index<V>, stack: string, key: string): V | undefined {
  return m.get(stack)?.get(key);
}

export class Model implements ResourceModel {
  readonly resources: readonly ResourceNode[];
  private readonly byAddress: Index<Node> = new Map();
  private readonly byBlock: Index<Node[]> = new Map();
  private byTypeIndex?: Map<string, ResourceNode[]>;
  private iam?: { principals: readonly PrincipalView[]; resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[] };

  /** `nodes` are the loaders' own objects: the model indexes and links them in place. */
  constructor(readonly inputs: readonly string[], readonly stacks: readonly StackInfo[], nodes: readonly Node[]) {
    this.resources = nodes;
    let lastStack: string | undefined;
    let addrs = new Map<string, Node>();
    let blocks = new Map<string, Node[]>();
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      node.unlink();
      const address = node.address;
      if (node.stack !== lastStack) {
        lastStack = node.stack;
        addrs = this.byAddress.get(lastStack) ?? new Map();
        blocks = this.byBlock.get(lastStack) ?? new Map();
        this.byAddress.set(lastStack, addrs);
        this.byBlock.set(lastStack, blocks);
      }
      // A block's list is kept only once it has more than its one unindexed node (configs: never);
      // until then `blockList` finds that node in the address index.
      const prev = addrs.get(address);
      if (prev !== undefined && prev.blockAddress === address && !blocks.has(address)) blocks.set(address, [prev]);
      if (node.blockAddress === address) {
        const blk = blocks.size === 0 ? undefined : blocks.get(address);
        if (blk) blk.push(node);
      } else {
        const blk = blocks.get(node.blockAddress);
        if (blk) blk.push(node);
        else {
          const seed = addrs.get(node.blockAddress);
          blocks.set(node.blockAddress, seed !== undefined && seed.blockAddress === node.blockAddress ? [seed, node] : [node]);
        }
      }
      addrs.set(address, node);
    }
    // Linking: strings holding `${` gathered into one scratch list, their traversals (offsets)
    // into another, both overwritten (never truncated) for every node; the stack's indexes held
    // while its nodes run.
    const strings: string[] = [];
    const offsets: number[] = [];
    lastStack = undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const found = collectInterpolated(node.values, strings, 0);
      if (!found) continue;
      if (node.stack !== lastStack) {
        lastStack = node.stack;
        addrs = this.byAddress.get(lastStack)!;
        blocks = this.byBlock.get(lastStack)!;
      }
      let targets: Node[] | undefined;
      for (let s = 0; s < found; s++) {
        const text = strings[s];
        const n = scanTraversalOffsets(text, offsets, 0);
        for (let t = 0; t < n; t += TRAVERSAL_STRIDE) {
          const start = offsets[t];
          const instanceEnd = offsets[t + 2];
          const named = lookup(addrs, blocks, text.slice(start, offsets[t + 1]), instanceEnd ? text.slice(start, instanceEnd) : '', node.module);
          if (named === undefined) continue;
          if (Array.isArray(named)) {
            for (let f = 0; f < named.length; f++) targets = link(node, named[f], targets);
          } else targets = link(node, named as Node, targets);
        }
      }
      node.linksOut = targets;
    }
  }

  byType(type: string): readonly ResourceNode[] {
    if (!this.byTypeIndex) {
      const index = new Map<string, ResourceNode[]>();
      for (const node of this.resources) push(index, node.type, node);
      this.byTypeIndex = index;
    }
    return this.byTypeIndex.get(type) ?? EMPTY;
  }

  get(stack: string, address: string): ResourceNode | undefined {
    return getIn(this.byAddress, stack, address) ?? this.blockList(stack, blockOf(address))?.[0];
  }

  /** Every node at a block address (all instances of a counted plan resource). */
  instances(stack: string, blockAddress: string): readonly ResourceNode[] {
    return this.blockList(stack, blockAddress) ?? EMPTY;
  }

  /** Every node whose block address is `blockAddress` (the list made, and kept, on first ask when the block is one unindexed node). */
  private blockList(stack: string, blockAddress: string): ResourceNode[] | undefined {
    const blocks = this.byBlock.get(stack);
    if (!blocks) return undefined;
    const list = blocks.get(blockAddress);
    if (list) return list;
    const single = this.byAddress.get(stack)?.get(blockAddress);
    if (single === undefined || single.blockAddress !== blockAddress) return undefined;
    const made = [single];
    blocks.set(blockAddress, made);
    return made;
  }

  referencedBy(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = (node as Partial<Node>).linksOut ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  referencing(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = (node as Partial<Node>).linksIn ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  resolve(stack: string, value: unknown, from?: ResourceNode): ResourceNode | undefined {
    if (typeof value !== 'string' || value.indexOf('${') < 0) return undefined;
    const addrs = this.byAddress.get(stack);
    const blocks = this.byBlock.get(stack);
    if (!addrs || !blocks) return undefined;
    const offsets = RESOLVE_SCRATCH;
    const n = scanTraversalOffsets(value, offsets, 0);
    let result: ResourceNode | undefined;
    for (let t = 0; t < n && result === undefined; t += TRAVERSAL_STRIDE) {
      const start = offsets[t];
      const instanceEnd = offsets[t + 2];
      const found = lookup(addrs, blocks, value.slice(start, offsets[t + 1]), instanceEnd ? value.slice(start, instanceEnd) : '', from?.module);
      if (found === undefined) continue;
      result = Array.isArray(found) ? found[0] : (found as ResourceNode);
    }
    return result;
  }

  principals(): readonly PrincipalView[] {
    return (this.iam ??= buildIamViews(this)).principals;
  }

  resourcePolicies(): readonly { readonly target?: ResourceNode; readonly policy: PolicyView }[] {
    return (this.iam ??= buildIamViews(this)).resourcePolicies;
  }
}

/** The nodes one traversal names, in one stack's indexes: the instance when indexed and present, else every instance of the block; module-local first. One node, a block's nodes, or nothing. */
function lookup(addrs: Map<string, Node>, blocks: Map<string, Node[]>, block: string, instance: string, module: string | undefined): Node | readonly Node[] | undefined {
  if (module) {
    const scope = `${module}.`;
    if (instance) {
      const exact = addrs.get(scope + instance);
      if (exact) return exact;
    }
    const local = inBlock(addrs, blocks, scope + block);
    if (local) return local;
  }
  if (instance) {
    const exact = addrs.get(instance);
    if (exact) return exact;
  }
  return inBlock(addrs, blocks, block);
}

/** A block's nodes: its kept list, or its one unindexed node. */
function inBlock(addrs: Map<string, Node>, blocks: Map<string, Node[]>, block: string): Node | readonly Node[] | undefined {
  const list = blocks.get(block);
  if (list) return list;
  const single = addrs.get(block);
  return single !== undefined && single.blockAddress === block ? single : undefined;
}

/** Record node → target once (first-seen order), and target ← node. */
function link(node: Node, target: Node, targets: Node[] | undefined): Node[] | undefined {
  if (target === node) return targets;
  // Lists start as one-element literals: `[]` then push would reserve room for 17.
  if (!targets) targets = [target];
  else if (targets.includes(target)) return targets;
  else targets.push(target);
  const incoming = target.linksIn;
  if (incoming) incoming.push(node);
  else target.linksIn = [node];
  return targets;
}

/**
 * Every string holding a `${` in a JSON-like value, written into `out` from index `n` on; returns
 * the index after the last one (values are depth-bounded by the loader).
 */
function collectInterpolated(value: unknown, out: string[], n: number): number {
  if (typeof value === 'string') {
    if (value.indexOf('${') >= 0) out[n++] = value;
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) out[n++] = v;
      } else if (v !== null && typeof v === 'object') n = collectInterpolated(v, out, n);
    }
  } else if (value !== null && typeof value === 'object' && !(value instanceof Unknown)) {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) out[n++] = v;
      } else if (v !== null && typeof v === 'object') n = collectInterpolated(v, out, n);
    }
  }
  return n;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Visit every string holding a `${…}` in a JSON-like value (values are depth-bounded by the loader). */
export function forEachInterpolated(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') {
    if (value.indexOf('${') >= 0) visit(value);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) visit(v);
      } else if (v !== null && typeof v === 'object') forEachInterpolated(v, visit);
    }
  } else if (value !== null && typeof value === 'object' && !(value instanceof Unknown)) {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) visit(v);
      } else if (v !== null && typeof v === 'object') forEachInterpolated(v, visit);
    }
  }
}
