/** Helpers for trust (assume-role) policies. */
import type { Conditions, PolicyStatement } from '../../../auditor/model/types';
import { equalsIgnoringCase } from '../../../auditor/iam/expand';

/**
 * The keys under every operator of a statement's conditions, made once per Conditions object:
 * the model's statements share equal conditions (see StatementPool), and every role's trust
 * policy is read by several rules, so most calls find their answer here. Walking a
 * prototype-free object with for…in allocates its key list on every walk.
 */
const keysByConditions = new WeakMap<Conditions, readonly string[]>();
const NO_KEYS: readonly string[] = Object.freeze([]);

function conditionKeys(s: PolicyStatement): readonly string[] {
  const conditions = s.conditions;
  if (conditions === undefined || conditions === null) return NO_KEYS;
  let keys = keysByConditions.get(conditions);
  if (keys === undefined) {
    const list: string[] = [];
    const ops = Object.keys(conditions);
    for (let o = 0; o < ops.length; o++) {
      const byKey = conditions[ops[o]];
      for (const key in byKey) if (Object.prototype.hasOwnProperty.call(byKey, key)) list.push(key);
    }
    keys = list.length ? list : NO_KEYS;
    keysByConditions.set(conditions, keys);
  }
  return keys;
}

/** Is one of `keys` present under any condition operator (case-insensitive)? */
export function hasConditionKey(s: PolicyStatement, keys: readonly string[]): boolean {
  const present = conditionKeys(s);
  for (let p = 0; p < present.length; p++) for (let i = 0; i < keys.length; i++) if (equalsIgnoringCase(present[p], keys[i])) return true;
  return false;
}

export function hasAnyCondition(s: PolicyStatement): boolean {
  return conditionKeys(s).length > 0;
}

/** A whole account: `arn:aws:iam::123456789012:root`, a bare account id, or either built from a reference. */
export function isWholeAccount(principal: string): boolean {
  if (/^\d{12}$/.test(principal)) return true;
  if (/^arn:aws[a-z-]*:iam::[^:]+:root$/.test(principal)) return true;
  // `${data.aws_caller_identity.current.account_id}` alone names the account.
  return /^\$\{[^}]*\.account_id\}$/.test(principal);
}
