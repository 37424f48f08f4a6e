/**
 * The in-memory resource model: nodes indexed by id, address, block and type, and the reference
 * graph in both directions. Built once per audit in time linear in the size of the input.
 */
import type { PolicyView, PrincipalView, ResourceModel, ResourceNode, StackInfo } from './types';
import { Unknown } from './types';
import { blockOf, scanTraversals } from './refs';
import { buildIamViews } from '../iam/normalise-views';

/** A node as a loader produces it, before references are linked. */
export type RawNode = Omit<ResourceNode, 'id' | 'references'>;

const EMPTY: readonly ResourceNode[] = Object.freeze([]);
const NO_REFERENCES: readonly string[] = Object.freeze([]);
/** Traversal pairs of the value `resolve` is reading (it calls nothing that resolves again). */
const RESOLVE_SCRATCH: string[] = [];

type Index<V> = Map<string, Map<string, V>>;
function getIn<V>(m: Index<V>, stack: string, key: string): V | undefined {
  return m.get(stack)?.get(key);
}

export class Model implements ResourceModel {
  readonly resources: readonly ResourceNode[];
  private readonly byAddress: Index<ResourceNode> = new Map();
  private readonly byBlock: Index<ResourceNode[]> = new Map();
  private byTypeIndex?: Map<string, ResourceNode[]>;
  private readonly out = new Map<ResourceNode, ResourceNode[]>();
  private readonly in = new Map<ResourceNode, ResourceNode[]>();
  private iam?: { principals: readonly PrincipalView[]; resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[] };

  constructor(readonly inputs: readonly string[], readonly stacks: readonly StackInfo[], raw: readonly RawNode[]) {
    const nodes: ResourceNode[] = new Array(raw.length);
    let lastStack: string | undefined;
    let addrs = new Map<string, ResourceNode>();
    let blocks = new Map<string, ResourceNode[]>();
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i];
      // One object shape for every node (no spreads): keeps property access monomorphic.
      const node: ResourceNode = {
        id: `${r.stack}/${r.address}`,
        stack: r.stack,
        address: r.address,
        blockAddress: r.blockAddress,
        mode: r.mode,
        type: r.type,
        name: r.name,
        values: r.values,
        count: r.count,
        action: r.action,
        instanceKey: r.instanceKey,
        countUnknown: r.countUnknown,
        module: r.module,
        references: NO_REFERENCES,
        constructPath: r.constructPath,
        suppressions: r.suppressions,
        file: r.file,
      };
      nodes[i] = node;
      if (r.stack !== lastStack) {
        lastStack = r.stack;
        addrs = this.byAddress.get(r.stack) ?? new Map();
        blocks = this.byBlock.get(r.stack) ?? new Map();
        this.byAddress.set(r.stack, addrs);
        this.byBlock.set(r.stack, blocks);
      }
      // A block's list is kept only once it has more than its one unindexed node (configs: never);
      // until then `blockList` finds that node in the address index.
      const prev = addrs.get(r.address);
      if (prev !== undefined && prev.blockAddress === r.address && !blocks.has(r.address)) blocks.set(r.address, [prev]);
      if (r.blockAddress === r.address) {
        const blk = blocks.get(r.address);
        if (blk) blk.push(node);
      } else {
        const blk = blocks.get(r.blockAddress);
        if (blk) blk.push(node);
        else {
          const seed = addrs.get(r.blockAddress);
          blocks.set(r.blockAddress, seed !== undefined && seed.blockAddress === r.blockAddress ? [seed, node] : [node]);
        }
      }
      addrs.set(r.address, node);
    }
    this.resources = nodes;
    // Linking: strings holding `${` gathered into one scratch list, their traversals into another
    // (pairs of block, instance), both reused for every node; the stack's indexes held while its
    // nodes run.
    const strings: string[] = [];
    const pairs: string[] = [];
    lastStack = undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      strings.length = 0;
      collectInterpolated(node.values, strings);
      if (!strings.length) continue;
      pairs.length = 0;
      for (let s = 0; s < strings.length; s++) scanTraversals(strings[s], pairs);
      if (!pairs.length) continue;
      if (node.stack !== lastStack) {
        lastStack = node.stack;
        addrs = this.byAddress.get(node.stack)!;
        blocks = this.byBlock.get(node.stack)!;
      }
      let targets: ResourceNode[] | undefined;
      for (let p = 0; p < pairs.length; p += 2) {
        const found = lookup(addrs, blocks, pairs[p], pairs[p + 1], node.module);
        if (found === undefined) continue;
        if (Array.isArray(found)) {
          for (let f = 0; f < found.length; f++) targets = link(node, found[f], targets, this.in);
        } else targets = link(node, found as ResourceNode, targets, this.in);
      }
      if (targets) {
        this.out.set(node, targets);
        const addresses: string[] = new Array(targets.length);
        for (let t = 0; t < targets.length; t++) addresses[t] = targets[t].address;
        (node as { references: readonly string[] }).references = addresses;
      }
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
    const list = this.out.get(node) ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  referencing(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = this.in.get(node) ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  resolve(stack: string, value: unknown, from?: ResourceNode): ResourceNode | undefined {
    if (typeof value !== 'string' || value.indexOf('${') < 0) return undefined;
    const addrs = this.byAddress.get(stack);
    const blocks = this.byBlock.get(stack);
    if (!addrs || !blocks) return undefined;
    const pairs = RESOLVE_SCRATCH;
    pairs.length = 0;
    scanTraversals(value, pairs);
    for (let p = 0; p < pairs.length; p += 2) {
      const found = lookup(addrs, blocks, pairs[p], pairs[p + 1], from?.module);
      if (found === undefined) continue;
      if (!Array.isArray(found)) return found as ResourceNode;
      if (found.length) return found[0];
    }
    pairs.length = 0;
    return undefined;
  }

  principals(): readonly PrincipalView[] {
    return (this.iam ??= buildIamViews(this)).principals;
  }

  resourcePolicies(): readonly { readonly target?: ResourceNode; readonly policy: PolicyView }[] {
    return (this.iam ??= buildIamViews(this)).resourcePolicies;
  }
}

/** The nodes one traversal names, in one stack's indexes: the instance when indexed and present, else every instance of the block; module-local first. One node, a block's nodes, or nothing. */
function lookup(addrs: Map<string, ResourceNode>, blocks: Map<string, ResourceNode[]>, block: string, instance: string, module: string | undefined): ResourceNode | readonly ResourceNode[] | undefined {
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
function inBlock(addrs: Map<string, ResourceNode>, blocks: Map<string, ResourceNode[]>, block: string): ResourceNode | readonly ResourceNode[] | undefined {
  const list = blocks.get(block);
  if (list) return list;
  const single = addrs.get(block);
  return single !== undefined && single.blockAddress === block ? single : undefined;
}

/** Record node → target once (first-seen order), and target ← node. */
function link(node: ResourceNode, target: ResourceNode, targets: ResourceNode[] | undefined, incoming: Map<ResourceNode, ResourceNode[]>): ResourceNode[] | undefined {
  if (target === node) return targets;
  if (!targets) targets = [];
  else if (targets.includes(target)) return targets;
  targets.push(target);
  push(incoming, target, node);
  return targets;
}

/** Every string holding a `${` in a JSON-like value, appended to `out` (values are depth-bounded by the loader). */
function collectInterpolated(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    if (value.indexOf('${') >= 0) out.push(value);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) out.push(v);
      } else if (v !== null && typeof v === 'object') collectInterpolated(v, out);
    }
  } else if (value !== null && typeof value === 'object' && !(value instanceof Unknown)) {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') {
        if (v.indexOf('${') >= 0) out.push(v);
      } else if (v !== null && typeof v === 'object') collectInterpolated(v, out);
    }
  }
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
