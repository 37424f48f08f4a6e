/** Test helper: a RuleContext with the real offline IAM catalog, no quotas, and today's date. */
import { loadIamCatalog } from '../../auditor/iam/catalog';
import type { RuleContext } from '../../policies/context';

export function ctxFor(overrides: Partial<RuleContext> = {}): RuleContext {
  return { iam: loadIamCatalog(), quotas: [], today: new Date().toISOString().slice(0, 10), ...overrides };
}
