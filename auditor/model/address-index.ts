/**
 * One stack's nodes by address: an open-addressing hash table sized once for the stack's nodes,
 * which can also be asked about a range of a longer string (a traversal found inside a value)
 * without cutting that range out as a new string first. Linking asks it once per traversal of the
 * input, so neither the lookups nor the table's growth allocate.
 *
 * The table is one Int32Array of (hash, position + 1) pairs, positions into the node list the
 * index was made over: a typed array, not an array of nodes, because a large JS array is a fresh
 * large-object allocation on every load, and its pages are faulted in again each time.
 */
import type { Node } from './node';

export class AddressIndex {
  private table: Int32Array;
  private mask: number;
  private count = 0;

  /** An index over nodes of `nodes` (added by position with `set`), with room for `expected` of them. */
  constructor(
    private readonly nodes: readonly Node[],
    expected: number,
  ) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Index `nodes[position]` under its address; returns the node it replaces there, if any. */
  set(position: number): Node | undefined {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const address = this.nodes[position].address;
    const h = hashRange(address, 0, address.length);
    const table = this.table;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const at = table[2 * i + 1];
      if (at === 0) {
        table[2 * i] = h;
        table[2 * i + 1] = position + 1;
        this.count++;
        return undefined;
      }
      if (table[2 * i] === h) {
        const there = this.nodes[at - 1];
        if (there.address === address) {
          table[2 * i + 1] = position + 1;
          return there;
        }
      }
    }
  }

  get(address: string): Node | undefined {
    return this.getRange(address, 0, address.length);
  }

  /** The node whose address is `text.slice(from, to)`. */
  getRange(text: string, from: number, to: number): Node | undefined {
    const h = hashRange(text, from, to);
    const table = this.table;
    const length = to - from;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const at = table[2 * i + 1];
      if (at === 0) return undefined;
      if (table[2 * i] === h) {
        const there = this.nodes[at - 1];
        const address = there.address;
        if (address.length === length && text.startsWith(address, from)) return there;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    const table = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = old[j] & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[j];
      table[2 * i + 1] = old[j + 1];
    }
    this.table = table;
    this.mask = mask;
  }
}

/** FNV-1a over the UTF-16 code units of `text.slice(from, to)`. */
export function hashRange(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
