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

export interface CostReport {
  currency: 'USD';
  monthlyTotal: number;
  pricing: { source: 'snapshot' | 'aws-pricing-api'; asOf: string; region: string };
  resources: ResourceCost[];
  unsupported: { resource: string; type: string }[];
  diff: CostDiff | null;
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
  };
}
