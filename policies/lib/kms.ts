/**
 * What kind of KMS key an attribute (`kms_key_id`, `kms_master_key_id`, `encryption_key` …) names.
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { isAbsent, isUnknown, literal } from './values';

export type KeyKind =
  /** Nothing set: the service falls back to its default (an AWS-owned or AWS-managed key, or none). */
  | 'missing'
  /** An AWS-managed key (`alias/aws/<service>`), whose key policy you cannot change. */
  | 'aws-managed'
  /** A key you create and control (a key ARN or id, your own alias, an `aws_kms_key`). */
  | 'customer'
  /** Only known after apply, or given by a variable: not judged. */
  | 'unknown';

export interface KeyInfo {
  readonly kind: KeyKind;
  /** What the value was, for messages. */
  readonly shown: string;
}

const AWS_MANAGED = /(^|[:/])alias\/aws\//;

const MISSING: KeyInfo = Object.freeze({ kind: 'missing', shown: 'not set' });

/** Classify the key a value names. References are resolved through the model. */
export function keyKind(model: ResourceModel, node: ResourceNode, value: unknown): KeyInfo {
  if (isAbsent(value)) return MISSING;
  if (isUnknown(value)) return { kind: 'unknown', shown: String(value) };
  const lit = literal(value);
  if (lit !== undefined) return { kind: AWS_MANAGED.test(lit) ? 'aws-managed' : 'customer', shown: lit };
  if (typeof value !== 'string') return { kind: 'unknown', shown: String(value) };
  // An expression's answer depends on the model, the stack and the text alone, and several
  // resources (a bucket's encryption, a log group, a topic…) name each key the same way: resolved
  // once per stack and text.
  let inModel = byExpression.get(model);
  if (inModel === undefined) byExpression.set(model, (inModel = new Map()));
  let inStack = inModel.get(node.stack);
  if (inStack === undefined) inModel.set(node.stack, (inStack = new Map()));
  let info = inStack.get(value);
  if (info === undefined) inStack.set(value, (info = expressionKey(model, node.stack, value)));
  return info;
}

/** Per model: stack → expression text → what it names. */
const byExpression = new WeakMap<ResourceModel, Map<string, Map<string, KeyInfo>>>();

function expressionKey(model: ResourceModel, stack: string, value: string): KeyInfo {
  const ref = model.resolve(stack, value);
  if (!ref) {
    // `${var.key_arn}`, `${local.k}`: a value we cannot see. A literal alias/aws/… inside an expression still counts.
    return Object.freeze({ kind: AWS_MANAGED.test(value) ? 'aws-managed' : 'unknown', shown: value });
  }
  // What a referenced node says depends on that node alone; many expressions name the same key.
  let info = byReference.get(ref);
  if (info === undefined) byReference.set(ref, (info = Object.freeze(referencedKey(ref))));
  return info;
}

/** The answer for a value that references `ref`, made once per referenced node. */
const byReference = new WeakMap<ResourceNode, KeyInfo>();

function referencedKey(ref: ResourceNode): KeyInfo {
  if (ref.type === 'aws_kms_key' || ref.type === 'aws_kms_replica_key' || ref.type === 'aws_kms_external_key') {
    return { kind: ref.mode === 'managed' ? 'customer' : dataKeyKind(ref), shown: ref.address };
  }
  if (ref.type === 'aws_kms_alias') {
    const name = literal(ref.values.name) ?? '';
    return { kind: ref.mode === 'data' && AWS_MANAGED.test(name) ? 'aws-managed' : 'customer', shown: name || ref.address };
  }
  return { kind: 'unknown', shown: ref.address };
}

function dataKeyKind(ref: ResourceNode): KeyKind {
  const id = literal(ref.values.key_id) ?? '';
  return AWS_MANAGED.test(id) ? 'aws-managed' : 'customer';
}
