/** Helpers for the held-out IAM regressions (re-exports the policy-test fixtures). */
export { jsonencode, policy, roleWithInline, run, summary } from '../policies/iam-fixtures';

export const allowAll = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
