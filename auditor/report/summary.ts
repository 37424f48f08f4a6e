/** One-line summaries shared by the table, Markdown and JUnit renderers. */
import { SEVERITY_ORDER } from '../../policies/rule';
import type { CostReport, Report } from './contract';
import { plural, usd } from './text';

export function countsLine(report: Report): string {
  const s = report.summary;
  const total = SEVERITY_ORDER.reduce((n, k) => n + s.bySeverity[k], 0);
  const parts = SEVERITY_ORDER.filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  let line = `${plural(total, 'finding')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  if (s.suppressed) line += `, ${s.suppressed} suppressed`;
  if (report.findings.some((f) => f.new !== undefined)) {
    const n = report.findings.filter((f) => f.new && !f.suppressed).length;
    line += `, ${n} new`;
  }
  return line;
}

type Unsupported = CostReport['unsupported'][number] & { cause?: string };

/** `cost.unsupported` split into [no price for the region, types Gantry does not price]. */
export function splitUnsupported(c: CostReport): [Unsupported[], Unsupported[]] {
  const all = c.unsupported as Unsupported[];
  return [all.filter((u) => u.cause === 'no-price'), all.filter((u) => u.cause !== 'no-price')];
}

/** Why resources went unpriced, from the per-region coverage: `eu-west-1 not in the price snapshot`. */
export function unpricedWhy(c: CostReport): string {
  const gaps = (c.coverage?.regions ?? []).filter((r) => r.unpricedResources > 0);
  const out = gaps.filter((r) => !r.inSnapshot).map((r) => r.region);
  const missing = gaps.filter((r) => r.inSnapshot).map((r) => r.region);
  const parts: string[] = [];
  if (out.length) parts.push(`${out.join(', ')} not in the price snapshot`);
  if (missing.length) parts.push(`no snapshot price for some components in ${missing.join(', ')}`);
  return parts.join('; ') || 'no price found';
}

/** `estimated $X/month`, or, when some resources could not be priced, what the figure covers and what it leaves out. */
export function costPhrase(c: CostReport): string {
  const cov = c.coverage;
  if (!cov || cov.complete) return `estimated ${usd(c.monthlyTotal)}/month`;
  return `estimated ${usd(c.monthlyTotal)}/month for ${plural(cov.pricedResources, 'priced resource')}; ${cov.unpricedResources} not priced (${unpricedWhy(c)})`;
}

export function verdictLine(report: Report): string {
  const s = report.summary;
  const gate = s.failOn === 'none' ? 'no severity gate' : `--fail-on ${s.failOn}${s.newOnly ? ' (new findings only)' : ''}`;
  const cost = report.cost ? `; ${costPhrase(report.cost)}` : '';
  const budget = s.budget ? ` (budget ${usd(s.budget.limit)}${s.budget.unpricedResources ? ', checked against the partial estimate' : ''})` : '';
  if (s.failed) return `FAILED (${gate}): ${(s.reasons ?? []).join('; ')}. ${countsLine(report)}${cost}${budget}.`;
  return `PASSED (${gate}): ${countsLine(report)}${cost}${budget}.`;
}
