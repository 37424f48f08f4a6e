/**
 * Suppressions in code: record, on the resource itself, that a Gantry rule does not apply and why.
 * The record travels with the construct into cdk.tf.json under the resource's `//` metadata
 * (`"//": { "gantry": { "suppressions": [...] } }`), where the auditor's loader reads it.
 */
import type { TerraformResource } from 'cdktf';

export interface SuppressOptions {
  /** Restrict the suppression to one finding detail (e.g. one action, `s3:*`). @default - every finding of the rule on this resource */
  readonly detail?: string;
  /** ISO date (YYYY-MM-DD) after which the suppression stops working. @default - never expires */
  readonly expires?: string;
}

export interface SuppressionRecord {
  readonly ruleId: string;
  readonly reason: string;
  readonly detail?: string;
  readonly expires?: string;
}

const MIN_REASON = 10;
const records = new WeakMap<TerraformResource, SuppressionRecord[]>();

/** Suppress `ruleId` on `resource` with a written reason (at least 10 characters). */
export function suppress(resource: TerraformResource, ruleId: string, reason: string, options: SuppressOptions = {}): void {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ruleId)) {
    throw new Error(`suppress: ruleId '${ruleId}' is not a rule id; use the rule's path below policies/, e.g. 'iam/no-admin-access'`);
  }
  if (reason.trim().length < MIN_REASON) {
    throw new Error(`suppress: the reason for '${ruleId}' on ${resource.node.path} must be at least ${MIN_REASON} characters; say why the rule does not apply`);
  }
  if (options.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.expires)) {
    throw new Error(`suppress: expires '${options.expires}' must be an ISO date (YYYY-MM-DD)`);
  }
  const list = records.get(resource) ?? [];
  list.push({ ruleId, reason: reason.trim(), ...(options.detail ? { detail: options.detail } : {}), ...(options.expires ? { expires: options.expires } : {}) });
  records.set(resource, list);
  resource.addOverride('//.gantry.suppressions', [...list]);
}
