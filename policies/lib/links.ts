/**
 * Which resources are attached to which: a bucket's encryption configuration, versioning, public
 * access block and policy are separate resources naming the bucket in one attribute (`bucket`);
 * a CodeCommit approval-rule association names the repository in `repository_name`.
 *
 * A link counts when that attribute references the target (`${aws_s3_bucket.a.id}`, `.bucket`,
 * an instance `aws_s3_bucket.a[0].id`) or holds a literal equal to the target's own name
 * attribute (plans carry known values as literals: `bucket = "gantry-artifacts"`).
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { literal } from './values';

/** `aws_x.y[0]` → `aws_x.y`. */
export function blockAddressOf(node: ResourceNode): string {
  const withBlock = node as ResourceNode & { blockAddress?: string };
  if (withBlock.blockAddress) return withBlock.blockAddress;
  const a = node.address;
  return a.endsWith(']') ? a.slice(0, a.lastIndexOf('[')) : a;
}

const EACH = /\beach\.(value|key)\b/;
const REF = /\$\{\s*((?:data\.)?[A-Za-z][\w-]*\.[A-Za-z_][\w-]*)(\[[^\]]*\])?/g;

/** The block addresses an expression string references (`${aws_s3_bucket.a.id}` → `aws_s3_bucket.a`). */
export function referencedBlocks(v: string): string[] {
  const out: string[] = [];
  REF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = REF.exec(v)) !== null) out.push(m[1]);
  return out;
}

/**
 * Does `value` (an attribute of a resource in `stack`) name `target`? When the value is
 * `${each.value.id}` and `from` (the resource holding it) iterates `for_each = aws_s3_bucket.x`,
 * the for_each expression is what names the target.
 */
export function pointsTo(model: ResourceModel, stack: string, value: unknown, target: ResourceNode, nameAttrs: readonly string[], from?: ResourceNode): boolean {
  if (typeof value !== 'string' || stack !== target.stack) return false;
  if (from && typeof from.values.for_each === 'string' && from.values.for_each !== value && EACH.test(value)) {
    if (pointsTo(model, stack, from.values.for_each, target, nameAttrs)) return true;
  }
  if (value.includes('${')) {
    const resolved = model.resolve(stack, value);
    if (resolved) return resolved === target || resolved.id === target.id || blockAddressOf(resolved) === blockAddressOf(target);
    const block = blockAddressOf(target);
    return referencedBlocks(value).includes(block);
  }
  for (let i = 0; i < nameAttrs.length; i++) {
    const own = literal(target.values[nameAttrs[i]]);
    if (own !== undefined && own === value) return true;
  }
  return false;
}

const literalIndexes = new WeakMap<ResourceModel, Map<string, Map<string, Map<string, Map<string, ResourceNode[]>>>>>();
/** The one empty node list the rules libraries return (nothing to allocate when there is nothing). */
export const NO_NODES: readonly ResourceNode[] = Object.freeze([]);

/** Nodes of `type` whose `attr` holds the literal `value`, per stack (built once per model): stack → value → nodes. */
function byLiteral(model: ResourceModel, type: string, attr: string): Map<string, Map<string, ResourceNode[]>> {
  let perModel = literalIndexes.get(model);
  if (!perModel) {
    perModel = new Map();
    literalIndexes.set(model, perModel);
  }
  let perType = perModel.get(type);
  if (!perType) {
    perType = new Map();
    perModel.set(type, perType);
  }
  let index = perType.get(attr);
  if (!index) {
    index = new Map();
    const nodes = model.byType(type);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const v = literal(n.values[attr]);
      if (v === undefined) continue;
      let perStack = index.get(n.stack);
      if (!perStack) {
        perStack = new Map();
        index.set(n.stack, perStack);
      }
      const list = perStack.get(v);
      if (list) list.push(n);
      else perStack.set(v, [n]);
    }
    perType.set(attr, index);
  }
  return index;
}

/** Name attributes a literal may equal, shared by the rules that pass them (one frozen list each, not one per rule). */
export const BUCKET_NAMES: readonly string[] = Object.freeze(['bucket', 'id']);
export const NAME_OR_ID: readonly string[] = Object.freeze(['name', 'id']);
export const REPOSITORY_NAME: readonly string[] = Object.freeze(['repository_name']);

/** Add `n` to `out` (made on the first) unless it is a data source or already there (same id); returns `out`. */
function addManaged(out: ResourceNode[] | undefined, n: ResourceNode): ResourceNode[] | undefined {
  if (n.mode !== 'managed') return out;
  if (out === undefined) return [n];
  for (let i = 0; i < out.length; i++) if (out[i] === n || out[i].id === n.id) return out;
  out.push(n);
  return out;
}

/**
 * Resources of `type` attached to `target` through their attribute `attr` (default `bucket`).
 * `nameAttrs` are the target's attributes a literal may equal (default: `bucket`, then `id`).
 */
export function attached(
  model: ResourceModel,
  target: ResourceNode,
  type: string,
  attr = 'bucket',
  nameAttrs: readonly string[] = BUCKET_NAMES,
): ResourceNode[] {
  const list = attachedTo(model, target, type, attr, nameAttrs);
  return list === NO_NODES ? [] : (list as ResourceNode[]);
}

/**
 * The same resources as `attached`, as a list to read only: most targets have none of a given
 * type, and then no list is made (one shared empty list is returned).
 */
export function attachedTo(
  model: ResourceModel,
  target: ResourceNode,
  type: string,
  attr = 'bucket',
  nameAttrs: readonly string[] = BUCKET_NAMES,
): readonly ResourceNode[] {
  let out: ResourceNode[] | undefined;
  const referencing = model.referencing(target);
  for (let i = 0; i < referencing.length; i++) {
    const n = referencing[i];
    if (n.type === type && pointsTo(model, n.stack, n.values[attr], target, nameAttrs, n)) out = addManaged(out, n);
  }
  let perStack: Map<string, ResourceNode[]> | undefined | null = null;
  for (let a = 0; a < nameAttrs.length; a++) {
    const own = literal(target.values[nameAttrs[a]]);
    if (own === undefined) continue;
    if (perStack === null) perStack = byLiteral(model, type, attr).get(target.stack);
    const list = perStack?.get(own) ?? NO_NODES;
    for (let i = 0; i < list.length; i++) out = addManaged(out, list[i]);
  }
  return out ?? NO_NODES;
}

/** The node a single attribute value names (a reference, resolved by the model), if any. */
export function target(model: ResourceModel, node: ResourceNode, value: unknown): ResourceNode | undefined {
  return typeof value === 'string' && value.includes('${') ? model.resolve(node.stack, value) : undefined;
}

/** Managed resources of a type (data sources left out). */
export function managed(model: ResourceModel, type: string): ResourceNode[] {
  return model.byType(type).filter((n) => n.mode === 'managed');
}
