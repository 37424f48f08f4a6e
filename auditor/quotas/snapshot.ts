/**
 * The bundled, dated quota snapshot (policies/data/quotas/quotas.json): for each quota its Service
 * Quotas codes, AWS default value, scope, which planned resources count towards it and how, and the
 * AWS page the number was checked against. Loaded and validated once.
 */
import { z } from 'zod';
import raw from '../../policies/data/quotas/quotas.json';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const CountRule = z.object({
  /** Terraform resource type whose planned instances count. */
  type: z.string().regex(/^aws_[a-z0-9_]+$/),
  /** Only instances whose value at each dotted path (nested blocks searched through) is one of these. */
  where: z.record(z.string(), z.array(scalar)).optional(),
  /** Only instances whose value at each dotted path is NOT one of these (a missing value passes). */
  whereNot: z.record(z.string(), z.array(scalar)).optional(),
});

/**
 * One fact behind a snapshot entry: what was confirmed, where, when, and how strong the source is —
 * `aws` (an AWS page, read directly or as a stored copy of it), `aws-old` (an older AWS page whose
 * value may have changed since), `third-party` (public Service Quotas listings or articles, used
 * only where no AWS page could be read).
 */
const Evidence = z.object({
  claim: z.string().min(1),
  source: z.string().url(),
  kind: z.enum(['aws', 'aws-old', 'third-party']),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const UsageMetric = z.object({
  namespace: z.string(),
  name: z.string(),
  dimensions: z.record(z.string(), z.string()),
  statistic: z.string(),
});

export const QuotaDefSchema = z.object({
  /** Stable id used in tests and messages. */
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** Service Quotas service code (`codepipeline`, `iam`, …). */
  serviceCode: z.string(),
  /** Service Quotas quota code (`L-…`). */
  quotaCode: z.string().regex(/^L-[0-9A-F]{8}$/),
  quotaName: z.string(),
  defaultValue: z.number().positive(),
  adjustable: z.boolean(),
  /** region: per account per region · account: per account, all regions together · global: IAM-style global service. */
  scope: z.enum(['region', 'account', 'global']),
  /** The region Service Quotas reports an account-wide or global quota in. */
  quotaRegion: z.string().optional(),
  counts: z.array(CountRule).min(1),
  /** Per-parent quotas: instances are grouped by the value at this path. */
  groupBy: z.object({ path: z.string(), label: z.string(), default: z.string().optional() }).optional(),
  /** How planned instances turn into usage, in one sentence (shown with the row). */
  basis: z.string(),
  /**
   * Live current usage: `iam-summary:<SummaryMap key>` (IAM GetAccountSummary), or
   * `service-quotas-metric` (the CloudWatch metric Service Quotas names in UsageMetric, else
   * `usageMetric` below when given), or `none`.
   */
  usage: z.string().regex(/^(iam-summary:[A-Za-z]+|service-quotas-metric|none)$/),
  usageMetric: UsageMetric.optional(),
  /** AWS default values that differ by region. */
  regionalDefaults: z.record(z.string(), z.number().positive()).optional(),
  /**
   * What going over does: `apply` — creating the resource fails, the apply stops half way;
   * `runtime` — the apply succeeds but work queues or fails later (concurrent builds, deployments).
   */
  impact: z.enum(['apply', 'runtime']),
  /** A caveat about the default value, shown with the row. */
  note: z.string().optional(),
  source: z.string().url(),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** What was confirmed for this entry and from where (code, default, scope). */
  evidence: z.array(Evidence).min(1),
});

export const StructuralLimitSchema = z.object({
  id: z.string(),
  serviceCode: z.string(),
  quotaCode: z.string().regex(/^L-[0-9A-F]{8}$/).optional(),
  name: z.string(),
  defaultValue: z.number().positive(),
  /** Highest value AWS allows on request, when the limit is adjustable. */
  maxValue: z.number().positive().optional(),
  adjustable: z.boolean(),
  unit: z.string(),
  source: z.string().url(),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** A caveat about the value (shown in findings). */
  note: z.string().optional(),
  evidence: z.array(Evidence).min(1),
});

export const SnapshotSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  quotas: z.array(QuotaDefSchema).min(1),
  structural: z.array(StructuralLimitSchema),
});

export type QuotaDef = z.infer<typeof QuotaDefSchema>;
export type CountRule = z.infer<typeof CountRule>;
export type StructuralLimit = z.infer<typeof StructuralLimitSchema>;
export type QuotaEvidence = z.infer<typeof Evidence>;
export type QuotaSnapshot = z.infer<typeof SnapshotSchema>;

/** Validate a snapshot object (throws with the first problem). Exposed for tests. */
export function parseSnapshot(value: unknown): QuotaSnapshot {
  const parsed = SnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`policies/data/quotas/quotas.json: ${issue.path.join('.')}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const q of [...parsed.data.quotas, ...parsed.data.structural]) {
    if (seen.has(q.id)) throw new Error(`policies/data/quotas/quotas.json: duplicate quota id ${q.id}`);
    seen.add(q.id);
  }
  return parsed.data;
}

let cached: QuotaSnapshot | undefined;

/** The bundled snapshot. */
export function loadSnapshot(): QuotaSnapshot {
  cached ??= parseSnapshot(raw);
  return cached;
}

/** The AWS default of a quota in a region (regional exceptions honoured). */
export function defaultIn(q: QuotaDef, region: string): number {
  return q.regionalDefaults?.[region] ?? q.defaultValue;
}

/** A structural (per-resource) limit by id; throws if the snapshot lacks it (a packaging bug). */
export function structuralLimit(id: string): StructuralLimit {
  const found = loadSnapshot().structural.find((s) => s.id === id);
  if (!found) throw new Error(`quota snapshot has no structural limit ${id}`);
  return found;
}
