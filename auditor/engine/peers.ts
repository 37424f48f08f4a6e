/**
 * The audit's collaborators (loaders, IAM catalogue, quotas, pricing, rule catalogue), loaded
 * lazily so `gantry --help` and bad-flag errors stay instant and a test can inject its own.
 */
import type { IamCatalog } from '../../policies/context';
import type { Rule } from '../../policies/rule';
import type { ResourceModel } from '../model/types';
import type { CostDiff, CostReport, QuotaRow } from '../report/contract';

export interface CostOptions {
  region?: string;
  live: boolean;
  /** Path of an infracost-style usage file. */
  usage?: string;
  freeTier: boolean;
  warn(msg: string): void;
}

export interface QuotaOptions {
  region?: string;
  live: boolean;
  /** Fraction of the limit at which a row turns `warning`. */
  warnAt?: number;
  warn(msg: string): void;
}

export interface AuditPeers {
  loadInputs(paths: string[], opts?: Record<string, unknown>): ResourceModel;
  loadIamCatalog(): IamCatalog | Promise<IamCatalog>;
  evaluateQuotas(model: ResourceModel, opts: QuotaOptions): Promise<QuotaRow[]>;
  estimateCost(model: ResourceModel, opts: CostOptions): Promise<CostReport>;
  diffCost(base: CostReport, head: CostReport): CostDiff;
  rules(): readonly Rule[];
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const defaultPeers: AuditPeers = {
  loadInputs: (paths, opts) => require('../load').loadInputs(paths, opts),
  loadIamCatalog: () => require('../iam/catalog').loadIamCatalog(),
  evaluateQuotas: (model, opts) => require('../quotas').evaluateQuotas(model, opts),
  estimateCost: (model, opts) => require('../pricing').estimateCost(model, opts),
  diffCost: (base, head) => require('../pricing').diffCost(base, head),
  rules: () => require('../../policies').ALL_RULES,
};
