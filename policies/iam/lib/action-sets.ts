/**
 * Sets of actions that stay cheap when a policy says "*": small sets are plain Sets; once a
 * principal's grants run into the thousands they become bitsets over the catalog's full action
 * list (22k actions = 691 words), so combining, subtracting and counting cost a few hundred word
 * operations instead of tens of thousands of hash inserts.
 */
import type { IamCatalog } from '../../context';

export interface Universe {
  readonly actions: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly words: number;
  readonly write: Uint32Array;
  readonly manage: Uint32Array;
}

const universes = new WeakMap<IamCatalog, Universe>();

export function universeOf(iam: IamCatalog): Universe {
  let u = universes.get(iam);
  if (u) return u;
  const actions = iam.expand('*');
  const words = Math.ceil(actions.length / 32);
  const index = new Map<string, number>();
  const write = new Uint32Array(words);
  const manage = new Uint32Array(words);
  actions.forEach((a, i) => {
    index.set(a, i);
    const level = iam.accessLevel(a);
    if (level === 'Write' || level === 'Tagging') write[i >>> 5] |= 1 << (i & 31);
    else if (level === 'Permissions management') manage[i >>> 5] |= 1 << (i & 31);
  });
  u = { actions, index, words, write, manage };
  universes.set(iam, u);
  return u;
}

const listBits = new WeakMap<readonly string[], Uint32Array>();

/** The bitset of an action list (memoised per list: the catalog's expansions are shared, frozen arrays). */
export function bitsOf(u: Universe, list: readonly string[]): Uint32Array {
  let bits = listBits.get(list);
  if (bits) return bits;
  bits = new Uint32Array(u.words);
  for (const a of list) {
    const i = u.index.get(a);
    if (i !== undefined) bits[i >>> 5] |= 1 << (i & 31);
  }
  listBits.set(list, bits);
  return bits;
}

export function popcount(bits: Uint32Array, mask?: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = mask ? bits[w] & mask[w] : bits[w];
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** A read-only action set with the queries the rules need. */
export interface ActionSet {
  has(action: string): boolean;
  readonly size: number;
  /** How many of the actions are Write/Tagging, and how many Permissions management. */
  levels(): { readonly write: number; readonly manage: number };
}

export function fromSet(set: ReadonlySet<string>, iam: IamCatalog): ActionSet {
  let levels: { readonly write: number; readonly manage: number } | undefined;
  return {
    has: (a) => set.has(a),
    size: set.size,
    levels() {
      // Principals with equal grants share one set: counted once.
      if (levels !== undefined) return levels;
      let write = 0;
      let manage = 0;
      for (const a of set) {
        const level = iam.accessLevel(a);
        if (level === 'Permissions management') manage++;
        else if (level === 'Write' || level === 'Tagging') write++;
      }
      return (levels = { write, manage });
    },
  };
}

export function fromBits(bits: Uint32Array, u: Universe): ActionSet {
  let levels: { readonly write: number; readonly manage: number } | undefined;
  return {
    has(a) {
      const i = u.index.get(a);
      return i !== undefined && (bits[i >>> 5] & (1 << (i & 31))) !== 0;
    },
    size: popcount(bits),
    levels: () => (levels ??= { write: popcount(bits, u.write), manage: popcount(bits, u.manage) }),
  };
}
