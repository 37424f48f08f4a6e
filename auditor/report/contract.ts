/**
 * The JSON report contract (`gantry audit --format json`), exactly as ../shared/DESIGN.md fixes it.
 * Extend, never break: new fields may be added, existing ones never change meaning.
 */
import type { Category, Severity } from '../../policies/rule';

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  resource: string;
  stack: string;
  message: string;
  remediation: string;
  suppressed: boolean;
  suppressionReason: string | null;
  /** Extension: granular detail (an action, a statement) the finding is about. */
  detail?: string;
  /** With --compare: absent from the base input. */
  new?: boolean;
  /** Extension: the input file the resource was read from (relative to the working directory). */
  file?: string;
  /** Extension: where the suppression was declared (`code`, or the suppressions file), when suppressed. */
  suppressionOrigin?: string;
  /** Extension: the suppression's expiry date (YYYY-MM-DD), when suppressed by one that expires. */
  suppressionExpires?: string;
  /** Extension: a matching suppression expired on this date, so the finding counts again. */
  suppressionExpired?: string;
}

export interface QuotaRow {
  service: string;
  quotaCode: string;
  quotaName: string;
  region: string;
  limit: number;
  limitSource: 'live' | 'snapshot';
  currentUsage: number | null;
  planned: number;
  utilization: number;
  status: 'ok' | 'warning' | 'exceeded';
  /** Extension: where the quota applies: one region, the whole account (all regions), or global (IAM). */
  scope?: 'region' | 'account' | 'global';
  /** Extension: the account the usage is counted for (absent when no input says). */
  accountId?: string;
  /** Extension: the parent a per-parent quota is counted under (`application: web`, `event bus: default`). */
  group?: string;
  /** Extension: the AWS page the snapshot value comes from, and the date it was checked (or looked up live). */
  source?: string;
  asOf?: string;
  /** Extension: how currentUsage was obtained, or why it is null. */
  usageNote?: string;
  /** Extension: where a non-null currentUsage came from: CloudWatch usage metric, the service's list calls, or IAM GetAccountSummary. */
  usageSource?: 'cloudwatch' | 'list' | 'iam-summary';
  /** Extension: what going over does — `apply` (creation fails mid-apply) or `runtime` (work queues or fails later). */
  impact?: 'apply' | 'runtime';
  /** Extension: the planned resources counted towards `planned` (at most 20 listed). */
  resources?: { stack: string; address: string; type: string; count: number }[];
}

export interface CostComponent {
  name: string;
  unit: string;
  quantity: number;
  unitPrice: number;
  monthly: number;
}

export interface ResourceCost {
  resource: string;
  stack: string;
  type: string;
  monthly: number;
  components: CostComponent[];
}

export interface CostDiff {
  baseMonthlyTotal: number;
  monthlyDelta: number;
  resources: { resource: string; stack: string; baseMonthly: number; monthly: number; delta: number }[];
}

/** Extension: how much of the input could be priced, per region the input asks for. */
export interface CostCoverage {
  /** Resources with a pricer whose every component was priced. */
  pricedResources: number;
  /** Resources with a pricer left (wholly or partly) unpriced: no price for their region (see `unsupported`). */
  unpricedResources: number;
  /** Resources of types Gantry has no pricing for (also in `unsupported`). */
  unsupportedTypes: number;
  /** True when every resource with a pricer was priced (monthlyTotal is not a partial sum). */
  complete: boolean;
  regions: {
    region: string;
    inSnapshot: boolean;
    /** Priceable resources in this region (priced, free, unsupported and unpriced). */
    resources: number;
    unpricedResources: number;
    /** Why some were not priced: 'region not in snapshot' | 'no price in snapshot'. */
    reason?: string;
    /** The one note line the audit printed for this region. */
    note?: string;
  }[];
}

/** Extension: one price row as the run used it (see CostReport.prices). */
export interface PriceUsed {
  description: string;
  priceSource: 'snapshot' | 'aws-pricing-api';
  /** Where the price was read (a URL, or `aws-pricing-api:GetProducts <service> SKU <sku>`). */
  source: string;
  /** YYYY-MM-DD the price was read. */
  asOf: string;
}

export interface CostReport {
  currency: 'USD';
  monthlyTotal: number;
  /** `region` is the main region of the input (most resources); extension `regions` lists every one asked for. */
  pricing: { source: 'snapshot' | 'aws-pricing-api'; asOf: string; region: string; regions?: string[] };
  /**
   * Extension: every price row a component used, by region then price id. A component's price is
   * `prices[<its resource's region>][<its priceId>]`: said once per row instead of on every component.
   */
  prices?: Record<string, Record<string, PriceUsed>>;
  resources: ResourceCost[];
  unsupported: { resource: string; type: string }[];
  diff: CostDiff | null;
  /** Extension: priced vs not priced (see CostCoverage). */
  coverage?: CostCoverage;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'gantry'; version: string };
  generatedAt: string;
  inputs: string[];
  findings: Finding[];
  quotas: QuotaRow[];
  cost: CostReport | null;
  summary: {
    bySeverity: Record<Severity, number>;
    failOn: Severity | 'none';
    failed: boolean;
    /** Extension: suppressed findings (not counted in bySeverity). */
    suppressed?: number;
    /** Extension: rules that threw and were skipped (each also reported as an info finding). */
    ruleErrors?: number;
    /** Extension: with --new-only, only findings absent from the --compare base can fail the audit. */
    newOnly?: boolean;
    /**
     * Extension: with --budget, the budget and whether the monthly total exceeds it; `unpricedResources` is set
     * when the total is a partial estimate (some resources could not be priced; a loud note says so).
     */
    budget?: { limit: number; monthlyTotal: number | null; exceeded: boolean; unpricedResources?: number };
    /** Extension: why the audit failed, one line each. */
    reasons?: string[];
  };
  /** Extension: warnings and notes (fallbacks, expired or unused suppressions), one line each. */
  notes?: string[];
}
