/** Helpers for trust (assume-role) policies. */
import type { PolicyStatement } from '../../../auditor/model/types';
import { equalsIgnoringCase } from '../../../auditor/iam/expand';

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Is one of `keys` present under any condition operator (case-insensitive)? */
export function hasConditionKey(s: PolicyStatement, keys: readonly string[]): boolean {
  const conditions = s.conditions ?? {};
  for (const op in conditions) {
    if (!hasOwn(conditions, op)) continue;
    const byKey = conditions[op];
    for (const key in byKey) {
      if (!hasOwn(byKey, key)) continue;
      for (let i = 0; i < keys.length; i++) if (equalsIgnoringCase(key, keys[i])) return true;
    }
  }
  return false;
}

export function hasAnyCondition(s: PolicyStatement): boolean {
  const conditions = s.conditions ?? {};
  for (const op in conditions) {
    if (!hasOwn(conditions, op)) continue;
    const byKey = conditions[op];
    for (const key in byKey) if (hasOwn(byKey, key)) return true;
  }
  return false;
}

/** A whole account: `arn:aws:iam::123456789012:root`, a bare account id, or either built from a reference. */
export function isWholeAccount(principal: string): boolean {
  if (/^\d{12}$/.test(principal)) return true;
  if (/^arn:aws[a-z-]*:iam::[^:]+:root$/.test(principal)) return true;
  // `${data.aws_caller_identity.current.account_id}` alone names the account.
  return /^\$\{[^}]*\.account_id\}$/.test(principal);
}
