/**
 * The one concrete ResourceNode. Loaders build each node once, in its final shape (every field
 * present, in the same order, so property reads stay monomorphic), and the Model indexes and links
 * those same objects: nothing is copied between loading and auditing.
 *
 * Every node lives as long as the audit, so its size counts: the fields most nodes leave at their
 * default (instance keys, modules and actions of plans, construct paths, uncountable blocks,
 * counts other than 1, data sources, suppressions in code) sit in one `NodeDetails` object that
 * only the nodes using them have, read through getters.
 */
import type { PlanAction, ResourceNode, Suppression } from './types';

const NO_REFERENCES: readonly string[] = Object.freeze([]);
const NO_SUPPRESSIONS: readonly Suppression[] = Object.freeze([]);

/** The fields of a node that most nodes leave unset (or at their default). */
class NodeDetails {
  mode: 'managed' | 'data' = 'managed';
  count = 1;
  suppressions: readonly Suppression[] = NO_SUPPRESSIONS;
  /** Set when it differs from the node's address (plan instances). */
  blockAddress: string | undefined = undefined;
  countUnknown: string | undefined = undefined;
  action: PlanAction | undefined = undefined;
  instanceKey: number | string | undefined = undefined;
  module: string | undefined = undefined;
  constructPath: string | undefined = undefined;
}

export class Node implements ResourceNode {
  /**
   * The reference graph, written only by the Model that links this node (first-seen order,
   * `undefined` for none): what this node references, and what references it. Most nodes
   * reference exactly one other, held as itself: a one-element list per node is kept for the
   * whole audit, and outgoing links are read only through `references` and `referencedBy`.
   */
  linksOut: Node | Node[] | undefined = undefined;
  linksIn: Node[] | undefined = undefined;
  private idText: string | undefined = undefined;
  private details: NodeDetails | undefined = undefined;

  constructor(
    readonly stack: string,
    readonly file: string,
    mode: 'managed' | 'data',
    readonly type: string,
    readonly name: string,
    readonly address: string,
    /** Equals `address` for config nodes; plan instances pass `blockOf(address)`. */
    blockAddress: string,
    public values: Record<string, unknown>,
  ) {
    if (mode !== 'managed') this.detailed().mode = mode;
    if (blockAddress !== address) this.detailed().blockAddress = blockAddress;
  }

  get mode(): 'managed' | 'data' {
    return this.details?.mode ?? 'managed';
  }

  /** How many instances this block creates (see ResourceNode.count). */
  get count(): number {
    return this.details?.count ?? 1;
  }
  set count(v: number) {
    if (v !== 1 || this.details) this.detailed().count = v;
  }

  get suppressions(): readonly Suppression[] {
    return this.details?.suppressions ?? NO_SUPPRESSIONS;
  }
  set suppressions(v: readonly Suppression[]) {
    if (v.length || this.details) this.detailed().suppressions = v;
  }

  get blockAddress(): string {
    return this.details?.blockAddress ?? this.address;
  }

  get countUnknown(): string | undefined {
    return this.details?.countUnknown;
  }
  set countUnknown(v: string | undefined) {
    if (v !== undefined || this.details) this.detailed().countUnknown = v;
  }

  get action(): PlanAction | undefined {
    return this.details?.action;
  }
  set action(v: PlanAction | undefined) {
    if (v !== undefined || this.details) this.detailed().action = v;
  }

  get instanceKey(): number | string | undefined {
    return this.details?.instanceKey;
  }
  set instanceKey(v: number | string | undefined) {
    if (v !== undefined || this.details) this.detailed().instanceKey = v;
  }

  get module(): string | undefined {
    return this.details?.module;
  }
  set module(v: string | undefined) {
    if (v !== undefined || this.details) this.detailed().module = v;
  }

  get constructPath(): string | undefined {
    return this.details?.constructPath;
  }
  set constructPath(v: string | undefined) {
    if (v !== undefined || this.details) this.detailed().constructPath = v;
  }

  private detailed(): NodeDetails {
    return (this.details ??= new NodeDetails());
  }

  /**
   * `<stack>/<address>`, made on first read and kept (rules key maps by it, so every read must
   * return the same, already hashed, string); nodes no rule asks about never build it.
   */
  get id(): string {
    return (this.idText ??= `${this.stack}/${this.address}`);
  }

  /** Addresses of the nodes this one references, from the links the Model made (a new list per read: no rule reads it). */
  get references(): readonly string[] {
    const out = this.linksOut;
    if (!out) return NO_REFERENCES;
    if (!Array.isArray(out)) return [out.address];
    const list: string[] = new Array(out.length);
    for (let i = 0; i < out.length; i++) list[i] = out[i].address;
    return list;
  }

  /** Forget links made by an earlier Model (a node is linked by the Model that indexes it). */
  unlink(): void {
    this.linksOut = undefined;
    this.linksIn = undefined;
  }
}
