/** One-line summaries shared by the table, Markdown and JUnit renderers. */
import { SEVERITY_ORDER } from '../../policies/rule';
import type { Report } from './contract';
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

export function verdictLine(report: Report): string {
  const s = report.summary;
  const gate = s.failOn === 'none' ? 'no severity gate' : `--fail-on ${s.failOn}${s.newOnly ? ' (new findings only)' : ''}`;
  const cost = report.cost ? `; estimated ${usd(report.cost.monthlyTotal)}/month` : '';
  const budget = s.budget ? ` (budget ${usd(s.budget.limit)})` : '';
  if (s.failed) return `FAILED (${gate}): ${(s.reasons ?? []).join('; ')}. ${countsLine(report)}${cost}${budget}.`;
  return `PASSED (${gate}): ${countsLine(report)}${cost}${budget}.`;
}
