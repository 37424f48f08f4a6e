/** Deterministic finding order: severity (worst first), rule id, stack, resource, detail, message. */
import { SEVERITY_ORDER, type Severity } from '../../policies/rule';
import type { Finding } from '../report/contract';

const RANK: Record<Severity, number> = Object.fromEntries(SEVERITY_ORDER.map((s, i) => [s, i])) as Record<Severity, number>;

export function severityRank(s: Severity): number {
  return RANK[s];
}

/** True when `s` is at or above `threshold` (`none` is never reached). */
export function atOrAbove(s: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[s] <= RANK[threshold];
}

/**
 * Code-unit order. Equal strings are mostly one string (a finding's stack, rule id and address are
 * shared), told at once by `===`; an unequal pair takes one ordering comparison (`<`), not two (`<` then `>`).
 */
function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.stack, b.stack) ||
    cmp(a.resource, b.resource) ||
    cmp(a.detail ?? '', b.detail ?? '') ||
    cmp(a.message, b.message)
  );
}

/** Identity of a finding across two audits (for --compare): the message may carry counts that change, so it is left out. */
export function findingKey(f: Pick<Finding, 'ruleId' | 'stack' | 'resource' | 'detail'>): string {
  return `${f.ruleId}\u0000${f.stack}\u0000${f.resource}\u0000${f.detail ?? ''}`;
}
