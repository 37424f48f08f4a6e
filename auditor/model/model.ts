/**
 * The in-memory resource model: nodes indexed by id, address, block and type, and the reference
 * graph in both directions. Built once per audit in time linear in the size of the input.
 */
import type { PolicyView, PrincipalView, ResourceModel, ResourceNode, StackInfo } from './types';
import { Unknown } from './types';
import type { Node } from './node';
import { AddressIndex } from './address-index';
import { TRAVERSAL_STRIDE, blockOf, scanTraversalOffsets, singleTraversal } from './refs';
import { buildIamViews } from '../iam/normalise-views';

const EMPTY: readonly ResourceNode[] = Object.freeze([]);
/** Traversal offsets of the value `resolve` is reading (it calls nothing that resolves again). */
const RESOLVE_SCRATCH: number[] = [];

/** One stack's indexes: every node by address, and the node lists of blocks with several instances. */
interface StackIndex {
  readonly addresses: AddressIndex;
  /** Kept only for a block with more than its one unindexed node (configs: never); see `blockList`. */
  readonly blocks: Map<string, Node[]>;
}

export class Model implements ResourceModel {
  readonly resources: readonly ResourceNode[];
  private readonly byStack = new Map<string, StackIndex>();
  private byTypeIndex?: Map<string, ResourceNode[]>;
  private iam?: { principals: readonly PrincipalView[]; resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[] };

  /** `nodes` are the loaders' own objects: the model indexes and links them in place. */
  constructor(readonly inputs: readonly string[], readonly stacks: readonly StackInfo[], nodes: readonly Node[]) {
    this.resources = nodes;
    let lastStack: string | undefined;
    let index: StackIndex | undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      node.unlink();
      if (node.stack !== lastStack || index === undefined) {
        lastStack = node.stack;
        index = this.byStack.get(lastStack);
        if (index === undefined) {
          // Loaders list a stack's nodes together: size its table for the run starting here.
          let run = i + 1;
          while (run < nodes.length && nodes[run].stack === lastStack) run++;
          index = { addresses: new AddressIndex(nodes, run - i), blocks: new Map() };
          this.byStack.set(lastStack, index);
        }
      }
      const { addresses, blocks } = index;
      const address = node.address;
      const prev = addresses.set(i);
      if (prev !== undefined && prev.blockAddress === address && !blocks.has(address)) blocks.set(address, [prev]);
      if (node.blockAddress === address) {
        const blk = blocks.size === 0 ? undefined : blocks.get(address);
        if (blk) blk.push(node);
      } else {
        const blk = blocks.get(node.blockAddress);
        if (blk) blk.push(node);
        else {
          const seed = addresses.get(node.blockAddress);
          blocks.set(node.blockAddress, seed !== undefined && seed.blockAddress === node.blockAddress ? [seed, node] : [node]);
        }
      }
    }
    // Linking: strings holding `${` gathered into one scratch list, their traversals (offsets)
    // into another, both overwritten (never truncated) for every node; the stack's index held
    // while its nodes run.
    const strings: string[] = [];
    const offsets: number[] = [];
    const targets: Node[] = [];
    lastStack = undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const found = collectInterpolated(node.values, strings, 0);
      if (!found) continue;
      if (node.stack !== lastStack) {
        lastStack = node.stack;
        index = this.byStack.get(lastStack)!;
      }
      let linked = 0;
      for (let s = 0; s < found; s++) {
        const text = strings[s];
        // Most values are one traversal: read in one pass (see `resolve`).
        const n = singleTraversal(text, offsets) ? TRAVERSAL_STRIDE : scanTraversalOffsets(text, offsets);
        for (let t = 0; t < n; t += TRAVERSAL_STRIDE) {
          const named = lookup(index!, text, offsets[t], offsets[t + 1], offsets[t + 2], node.module);
          if (named === undefined) continue;
          if (Array.isArray(named)) {
            for (let f = 0; f < named.length; f++) linked = link(node, named[f], targets, linked);
          } else linked = link(node, named as Node, targets, linked);
        }
      }
      // The node's own list is made at its final size (one target is held without a list).
      if (linked) node.linksOut = linked === 1 ? targets[0] : targets.slice(0, linked);
    }
    // Incoming lists of more than SMALL_LIST nodes grew by push (room for 17 more at a time);
    // every node keeps its lists for the whole audit, so those are copied once at their final size.
    for (let i = 0; i < nodes.length; i++) {
      const incoming = nodes[i].linksIn;
      if (incoming !== undefined && incoming.length > SMALL_LIST) nodes[i].linksIn = incoming.slice();
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
    const index = this.byStack.get(stack);
    if (!index) return undefined;
    return index.addresses.get(address) ?? blockList(index, blockOf(address))?.[0];
  }

  /** Every node at a block address (all instances of a counted plan resource). */
  instances(stack: string, blockAddress: string): readonly ResourceNode[] {
    const index = this.byStack.get(stack);
    return (index && blockList(index, blockAddress)) ?? EMPTY;
  }

  referencedBy(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const out = (node as Partial<Node>).linksOut;
    if (out === undefined) return type ? [] : EMPTY;
    const list = Array.isArray(out) ? out : [out];
    return type ? list.filter((n) => n.type === type) : list;
  }

  referencing(node: ResourceNode, type?: string): readonly ResourceNode[] {
    const list = (node as Partial<Node>).linksIn ?? EMPTY;
    return type ? list.filter((n) => n.type === type) : list;
  }

  resolve(stack: string, value: unknown, from?: ResourceNode): ResourceNode | undefined {
    if (typeof value !== 'string') return undefined;
    const offsets = RESOLVE_SCRATCH;
    // Most values asked about are one traversal (`${aws_kms_key.k.arn}`): read in one pass, without
    // first finding the region's end and then scanning it character by character.
    if (singleTraversal(value, offsets)) return this.resolveTraversal(stack, value, offsets[0], offsets[1], offsets[2], from);
    if (value.indexOf('${') < 0) return undefined;
    const index = this.byStack.get(stack);
    if (!index) return undefined;
    const n = scanTraversalOffsets(value, offsets);
    for (let t = 0; t < n; t += TRAVERSAL_STRIDE) {
      const found = lookup(index, value, offsets[t], offsets[t + 1], offsets[t + 2], from?.module);
      if (found === undefined) continue;
      if (!Array.isArray(found)) return found as ResourceNode;
      if (found.length) return found[0];
    }
    return undefined;
  }

  /**
   * What `resolve` answers for a value that is one traversal and nothing else, given the
   * traversal's offsets in it (see `singleTraversal`): the IAM views have read them already, so
   * the value is not scanned again.
   */
  resolveTraversal(stack: string, value: string, start: number, blockEnd: number, instanceEnd: number, from?: ResourceNode): ResourceNode | undefined {
    const index = this.byStack.get(stack);
    if (!index) return undefined;
    const found = lookup(index, value, start, blockEnd, instanceEnd, from?.module);
    return found === undefined || !Array.isArray(found) ? (found as ResourceNode | undefined) : found[0];
  }

  principals(): readonly PrincipalView[] {
    return (this.iam ??= buildIamViews(this)).principals;
  }

  resourcePolicies(): readonly { readonly target?: ResourceNode; readonly policy: PolicyView }[] {
    return (this.iam ??= buildIamViews(this)).resourcePolicies;
  }
}

/**
 * The nodes one traversal names (`text.slice(start, blockEnd)` is its block, `text.slice(start,
 * instanceEnd)` its instance when `instanceEnd` is not 0), in one stack's index: the instance when
 * indexed and present, else every instance of the block; module-local first. One node, a block's
 * nodes, or nothing.
 */
function lookup(index: StackIndex, text: string, start: number, blockEnd: number, instanceEnd: number, module: string | undefined): Node | readonly Node[] | undefined {
  if (module) {
    // Inside a module (plans only) a traversal names the module's own resources first.
    const scope = `${module}.`;
    if (instanceEnd) {
      const exact = index.addresses.get(scope + text.slice(start, instanceEnd));
      if (exact) return exact;
    }
    const block = scope + text.slice(start, blockEnd);
    const local = inBlock(index, block, 0, block.length);
    if (local) return local;
  }
  if (instanceEnd) {
    const exact = index.addresses.getRange(text, start, instanceEnd);
    if (exact) return exact;
  }
  return inBlock(index, text, start, blockEnd);
}

/** A block's nodes (the block is `text.slice(from, to)`): its kept list, or its one unindexed node. */
function inBlock(index: StackIndex, text: string, from: number, to: number): Node | readonly Node[] | undefined {
  if (index.blocks.size) {
    const list = index.blocks.get(from === 0 && to === text.length ? text : text.slice(from, to));
    if (list) return list;
  }
  const single = index.addresses.getRange(text, from, to);
  return single !== undefined && single.blockAddress === single.address ? single : undefined;
}

/** Every node whose block address is `blockAddress` (the list made, and kept, on first ask when the block is one unindexed node). */
function blockList(index: StackIndex, blockAddress: string): Node[] | undefined {
  const list = index.blocks.get(blockAddress);
  if (list) return list;
  const single = index.addresses.get(blockAddress);
  if (single === undefined || single.blockAddress !== blockAddress) return undefined;
  const made = [single];
  index.blocks.set(blockAddress, made);
  return made;
}

/**
 * Record node → target once (first-seen order) in `targets`, which holds `count` targets so far,
 * and target ← node; returns the new count.
 */
function link(node: Node, target: Node, targets: Node[], count: number): number {
  if (target === node) return count;
  for (let i = 0; i < count; i++) if (targets[i] === target) return count;
  targets[count] = target;
  // Most nodes are referenced by one to three others: their lists are literals of the exact size
  // (a push would reserve room for 17, kept or copied away at the end); longer ones grow by push.
  const incoming = target.linksIn;
  if (incoming === undefined) target.linksIn = [node];
  else if (incoming.length === 1) target.linksIn = [incoming[0], node];
  else if (incoming.length === 2) target.linksIn = [incoming[0], incoming[1], node];
  else incoming.push(node);
  return count + 1;
}
/** The longest incoming list `link` makes at its exact size. */
const SMALL_LIST = 3;

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
