/**
 * One stack's nodes by address: an open-addressing hash table sized once for the stack's nodes,
 * which can also be asked about a range of a longer string (a traversal found inside a value)
 * without cutting that range out as a new string first. Linking asks it once per traversal of the
 * input, so neither the lookups nor the table's growth allocate.
 */
import type { Node } from './node';

export class AddressIndex {
  private hashes: Int32Array;
  private slots: (Node | undefined)[];
  private mask: number;
  private count = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.hashes = new Int32Array(capacity);
    this.slots = new Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Index `node` under its address; returns the node it replaces there, if any. */
  set(node: Node): Node | undefined {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const address = node.address;
    const h = hashRange(address, 0, address.length);
    const slots = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const there = slots[i];
      if (there === undefined) {
        slots[i] = node;
        this.hashes[i] = h;
        this.count++;
        return undefined;
      }
      if (this.hashes[i] === h && there.address === address) {
        slots[i] = node;
        return there;
      }
    }
  }

  get(address: string): Node | undefined {
    return this.getRange(address, 0, address.length);
  }

  /** The node whose address is `text.slice(from, to)`. */
  getRange(text: string, from: number, to: number): Node | undefined {
    const h = hashRange(text, from, to);
    const slots = this.slots;
    const length = to - from;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const there = slots[i];
      if (there === undefined) return undefined;
      if (this.hashes[i] === h) {
        const address = there.address;
        if (address.length === length && text.startsWith(address, from)) return there;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldHashes = this.hashes;
    const capacity = old.length * 2;
    this.slots = new Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let j = 0; j < old.length; j++) {
      const node = old[j];
      if (node === undefined) continue;
      const h = oldHashes[j];
      let i = h & this.mask;
      while (this.slots[i] !== undefined) i = (i + 1) & this.mask;
      this.slots[i] = node;
      this.hashes[i] = h;
    }
  }
}

/** FNV-1a over the UTF-16 code units of `text.slice(from, to)`. */
export function hashRange(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
