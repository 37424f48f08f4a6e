/** Builds the contract report (summary, pass/fail) from what the audit produced. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEVERITY_ORDER, type Severity } from '../../policies/rule';
import { atOrAbove } from '../engine/order';
import { UserError } from '../errors';
import type { CostReport, Finding, QuotaRow, Report } from './contract';
import { unpricedWhy } from './summary';

export type FailOn = Severity | 'none';

export interface BuildInput {
  readonly inputs: readonly string[];
  readonly findings: readonly Finding[];
  readonly quotas: readonly QuotaRow[];
  readonly cost: CostReport | null;
  readonly failOn: FailOn;
  /** Only findings with `new: true` can fail the audit (--new-only with --compare). */
  readonly newOnly?: boolean;
  readonly budget?: number;
  readonly ruleErrors?: number;
  readonly notes?: readonly string[];
  readonly generatedAt?: Date;
}

/** Whether this finding makes the audit fail at `failOn`. Suppressed findings never do. */
export function failsGate(f: Finding, failOn: FailOn, newOnly = false): boolean {
  if (f.suppressed) return false;
  if (newOnly && f.new !== true) return false;
  return atOrAbove(f.severity, failOn);
}

export function buildReport(input: BuildInput): Report {
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let failing = 0;
  for (const f of input.findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
    if (failsGate(f, input.failOn, input.newOnly)) failing++;
  }
  const reasons: string[] = [];
  if (failing > 0) {
    reasons.push(`${failing} ${input.newOnly ? 'new ' : ''}finding${failing === 1 ? '' : 's'} at or above ${input.failOn}`);
  }
  const summary: Report['summary'] = { bySeverity, failOn: input.failOn, failed: false, suppressed };
  if (input.ruleErrors) summary.ruleErrors = input.ruleErrors;
  if (input.newOnly) summary.newOnly = true;
  const notes = [...(input.notes ?? [])];
  if (input.budget !== undefined) {
    const total = input.cost ? input.cost.monthlyTotal : null;
    const exceeded = total !== null && total > input.budget;
    summary.budget = { limit: input.budget, monthlyTotal: total, exceeded };
    if (exceeded) reasons.push(`estimated monthly cost $${total!.toFixed(2)} exceeds the budget of $${input.budget.toFixed(2)}`);
    const cov = input.cost?.coverage;
    if (input.cost && cov && !cov.complete) {
      const why = unpricedWhy(input.cost);
      // Nothing priced at all: a budget gate over $0 would pass by construction, so refuse (exit 2).
      if (input.cost.resources.length === 0) {
        throw new UserError('--budget', `cannot be checked: none of the ${cov.unpricedResources} priceable resources could be priced (${why}); use --live, or audit a region the snapshot covers`);
      }
      summary.budget.unpricedResources = cov.unpricedResources;
      notes.push(`BUDGET CHECKED AGAINST A PARTIAL ESTIMATE: $${total!.toFixed(2)}/month covers ${cov.pricedResources} priced resources; ${cov.unpricedResources} more could not be priced (${why}), so the real total is higher; use --live for a complete figure`);
    }
  }
  summary.failed = reasons.length > 0;
  if (reasons.length) summary.reasons = reasons;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'gantry', version: toolVersion() },
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    inputs: [...input.inputs],
    findings: [...input.findings],
    quotas: [...input.quotas],
    cost: input.cost,
    summary,
  };
  if (notes.length) report.notes = notes;
  return report;
}

let version: string | undefined;

/** Gantry's version, from the package.json above this file (works from the sources and from dist/). */
export function toolVersion(): string {
  if (version) return version;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gantry' && typeof pkg.version === 'string') return (version = pkg.version);
    } catch {
      /* keep looking upwards */
    }
    dir = path.dirname(dir);
  }
  return (version = '0.0.0');
}
