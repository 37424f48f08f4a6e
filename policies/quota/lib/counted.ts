import type { ResourceNode } from '../../../auditor/model/types';

/** How many instances `nodes` create together (each block counts its `count`). */
export function instanceTotal(nodes: readonly ResourceNode[]): number {
  let n = 0;
  for (let i = 0; i < nodes.length; i++) n += nodes[i].count;
  return n;
}

/** A node as a quota message lists it: its address, with `×n` when its block makes several instances. */
export function countedAddress(node: ResourceNode): string {
  return node.count === 1 ? node.address : `${node.address} ×${node.count}`;
}
