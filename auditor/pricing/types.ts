/**
 * Pricing types: what a priced resource returns, what a price row is, and the extended cost
 * report (the contract's CostReport with optional fields added — extend, never break).
 */
import type { CostComponent, CostReport, PriceUsed, ResourceCost } from '../report/contract';
export type { CostCoverage, PriceUsed } from '../report/contract';
import type { ResourceModel, ResourceNode } from '../model/types';

/** One tier of a price schedule: `from` ≤ quantity < `to` costs `unitPrice` per unit. */
export interface PriceTier {
  from: number;
  to?: number;
  unitPrice: number;
}

/** The AWS Price List filter that re-derives a row (GetProducts, TERM_MATCH on each field). */
export interface PriceFilter {
  serviceCode: string;
  productFamily?: string;
  attributes: Record<string, string>;
  /** Set when the filter has not been checked against the live Price List. */
  unverified?: string;
}

/** One price row of the snapshot. */
export interface PriceRow {
  id: string;
  service: string;
  region: string;
  description: string;
  unit: string;
  unitPrice: number;
  tiers: PriceTier[];
  filter: PriceFilter;
  /** Where the price was read (a URL, or `aws-pricing-api:<sku>`). */
  source: string;
  /** YYYY-MM-DD the price was read. */
  asOf: string;
  corroboratedBy?: string;
}

/** An always-free allowance, applied once per account after every resource is summed. */
export interface FreeTierOffer {
  id: string;
  description: string;
  /** Price rows whose summed quantity the allowance is taken from. */
  rows: string[];
  quantity: number;
  unit: string;
  source: string;
  asOf: string;
}

export interface Snapshot {
  schemaVersion: 1;
  currency: 'USD';
  asOf: string;
  regions: string[];
  note?: string;
  rows: PriceRow[];
  freeTier: FreeTierOffer[];
}

/** A price as resolved for one component: the row plus where it came from this run. */
export interface ResolvedPrice {
  row: PriceRow;
  priceSource: 'snapshot' | 'aws-pricing-api';
}

/** What a resource pricer asks for: a quantity of a price row. The engine looks the price up. */
export interface ComponentRequest {
  name: string;
  /** Snapshot row id, region-independent (`codebuild.linux.small`). */
  priceId: string;
  /** Monthly quantity, in the row's unit. */
  quantity: number;
  /** True when the quantity comes from a documented default rather than the usage file. */
  estimated?: boolean;
}

/** A usage key a resource type understands, with its documented default. */
export interface UsageKeySpec {
  key: string;
  default: number;
  description: string;
}

/** Usage values for one resource (from the usage file), keyed by dotted path (`standard.storage_gb`). */
export interface UsageValues {
  get(key: string): number | undefined;
}

export interface PricingContext {
  model: ResourceModel;
  usage: UsageValues;
  warn: (msg: string) => void;
}

/** One priced resource type (one file under `auditor/pricing/resources/`). */
export interface ResourcePricer {
  readonly type: string;
  readonly usage: readonly UsageKeySpec[];
  /** Cost components of ONE instance (the engine multiplies by `node.count`). */
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[];
}

/**
 * A contract cost component with Gantry's extensions. Where its price came from (source, date,
 * snapshot or live) is said once per price row in `cost.prices[<resource's region>][priceId]`,
 * not repeated on every component.
 */
export interface PricedComponent extends CostComponent {
  priceId: string;
  estimated?: boolean;
  /** Quantity before the free tier was taken off. */
  grossQuantity?: number;
  /** Quantity covered by an always-free allowance. */
  freeQuantity?: number;
}

export interface PricedResource extends ResourceCost {
  /** Read-only: resources with the same components may share the list and its component objects. */
  components: PricedComponent[];
  region: string;
  count: number;
}

export interface FreeTierUse {
  id: string;
  description: string;
  allowance: number;
  used: number;
  unit: string;
  savings: number;
  source: string;
  asOf: string;
}

export interface GantryCostReport extends CostReport {
  /**
   * Every price row a component used, by region (the resource's `region`) then price id (the
   * component's `priceId`): `prices[r.region][c.priceId]`. Null-prototype maps (region and id
   * come from the input).
   */
  prices: Record<string, Record<string, PriceUsed>>;
  resources: PricedResource[];
  /**
   * `cause`: 'unsupported-type' (Gantry has no pricer) or 'no-price' (no price for the resource's region:
   * `components` names what is missing; a partly priced resource is also in `resources`).
   */
  unsupported: { resource: string; type: string; stack?: string; reason?: string; cause?: 'unsupported-type' | 'no-price'; region?: string; components?: string[] }[];
  /** Resource types deliberately priced at $0, found in the input. */
  free?: { resource: string; stack: string; type: string; reason: string }[];
  freeTier?: { applied: boolean; offers: FreeTierUse[] };
  /** Usage file used, if any. */
  usageFile?: string | null;
  /** Warnings raised while pricing (also passed to `warn`). */
  warnings?: string[];
}
