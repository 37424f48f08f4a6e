/** Helpers for trust (assume-role) policies. */
import type { PolicyStatement } from '../../../auditor/model/types';

/** Is `key` present under any condition operator (case-insensitive)? */
export function hasConditionKey(s: PolicyStatement, keys: readonly string[]): boolean {
  const wanted = keys.map((k) => k.toLowerCase());
  for (const byKey of Object.values(s.conditions ?? {})) {
    for (const key of Object.keys(byKey)) if (wanted.includes(key.toLowerCase())) return true;
  }
  return false;
}

export function hasAnyCondition(s: PolicyStatement): boolean {
  return Object.values(s.conditions ?? {}).some((byKey) => Object.keys(byKey).length > 0);
}

/** A whole account: `arn:aws:iam::123456789012:root`, a bare account id, or either built from a reference. */
export function isWholeAccount(principal: string): boolean {
  if (/^\d{12}$/.test(principal)) return true;
  if (/^arn:aws[a-z-]*:iam::[^:]+:root$/.test(principal)) return true;
  // `${data.aws_caller_identity.current.account_id}` alone names the account.
  return /^\$\{[^}]*\.account_id\}$/.test(principal);
}
