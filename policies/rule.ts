import type { ResourceModel, ResourceNode } from '../auditor/model/types';
import type { RuleContext } from './context';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Category = 'iam' | 'encryption' | 'quota' | 'cost' | 'reliability';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface RuleMeta {
  /** Stable id, derived from the file name: `iam/no-admin-access` → `GANTRY-IAM-NO-ADMIN-ACCESS`. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Why it matters (one or two sentences; shown in SARIF help). */
  readonly rationale: string;
  readonly remediation: string;
  /** Equivalent checks in other tools, where one exists. */
  readonly equivalents?: { readonly checkov?: readonly string[]; readonly trivy?: readonly string[]; readonly cdkNag?: readonly string[] };
}

/** What a rule returns: the engine turns it into a contract finding. */
export interface RuleResult {
  readonly node: ResourceNode;
  readonly message: string;
  /** Granular detail for suppressions (`s3:*`, a statement sid …). */
  readonly detail?: string;
  /** Overrides the rule's default severity for this one result. */
  readonly severity?: Severity;
}

/** One rule: pure, no I/O. Everything looked up from outside arrives in `ctx`. */
export interface Rule extends RuleMeta {
  check(model: ResourceModel, ctx: RuleContext): readonly RuleResult[];
}
