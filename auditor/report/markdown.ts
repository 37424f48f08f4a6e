/**
 * `--format markdown`: a pull-request comment (and, via --markdown-report, the release report):
 * verdict and summary, the findings table, quotas, cost (with the diff under --compare),
 * suppressions with their reasons and expiries, and notes. Long tables are capped so the
 * comment stays under code hosts' size limits; the JSON report has everything.
 */
import { SEVERITY_ORDER } from '../../policies/rule';
import type { Finding, Report } from './contract';
import { countsLine, splitUnsupported, unpricedWhy, verdictLine } from './summary';
import { percent, signedUsd, usd } from './text';

const MAX_FINDINGS = 150;
const MAX_ROWS = 40;

/** Escape text for a Markdown table cell. */
export function md(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]<>|#!~]/g, (c) => `\\${c}`)
    .trim();
}

const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;

function findingsSection(report: Report, open: Finding[]): string[] {
  const out: string[] = [];
  const compare = report.findings.some((f) => f.new !== undefined);
  out.push('### Findings', '');
  if (!open.length) return [...out, 'No findings.', ''];
  out.push(compare ? '| Severity | New | Rule | Resource | Finding |' : '| Severity | Rule | Resource | Finding |');
  out.push(compare ? '|---|---|---|---|---|' : '|---|---|---|---|');
  for (const f of open.slice(0, MAX_FINDINGS)) {
    const msg = `${md(f.message)}${f.detail && !f.message.includes(f.detail) ? ` (${code(f.detail)})` : ''}<br>*Fix:* ${md(f.remediation)}`;
    const cells = [f.severity, ...(compare ? [f.new ? '🆕' : ''] : []), code(f.ruleId), `${code(f.resource)}${f.stack ? ` in ${code(f.stack)}` : ''}`, msg];
    out.push(`| ${cells.join(' | ')} |`);
  }
  if (open.length > MAX_FINDINGS) out.push('', `… and ${open.length - MAX_FINDINGS} more (see the JSON or SARIF report).`);
  out.push('');
  return out;
}

function quotasSection(report: Report): string[] {
  if (!report.quotas.length) return [];
  const rows = [...report.quotas].sort((a, b) => b.utilization - a.utilization);
  const out = ['### Quotas', '', '| Status | Service | Quota | Region | Planned | Current | Limit | Use |', '|---|---|---|---|---|---|---|---|'];
  for (const q of rows.slice(0, MAX_ROWS)) {
    const icon = q.status === 'exceeded' ? '🔴 exceeded' : q.status === 'warning' ? '🟠 warning' : 'ok';
    out.push(`| ${icon} | ${md(q.service)} | ${md(q.quotaName)} (${code(q.quotaCode)}) | ${md(q.region)} | ${q.planned} | ${q.currentUsage === null ? 'unknown' : q.currentUsage} | ${q.limit} (${q.limitSource}) | ${percent(q.utilization)} |`);
  }
  if (rows.length > MAX_ROWS) out.push('', `… and ${rows.length - MAX_ROWS} more quota rows.`);
  out.push('');
  return out;
}

function costSection(report: Report): string[] {
  const c = report.cost;
  if (!c) return [];
  const out = ['### Cost', ''];
  const regions = c.pricing.regions && c.pricing.regions.length > 1 ? c.pricing.regions.join(', ') : c.pricing.region;
  const partial = c.coverage && !c.coverage.complete ? ` for ${c.coverage.pricedResources} priced resources; **${c.coverage.unpricedResources} not priced** (${md(unpricedWhy(c))})` : '';
  out.push(`Estimated **${usd(c.monthlyTotal)}/month**${partial} (${c.currency}; prices from ${c.pricing.source}, as of ${c.pricing.asOf}, ${md(regions)}).`, '');
  if (c.diff) {
    const d = c.diff;
    out.push(`**Change against the base: ${signedUsd(d.monthlyDelta)}/month** (${usd(d.baseMonthlyTotal)} → ${usd(c.monthlyTotal)}).`, '');
    const changed = d.resources.filter((r) => r.delta !== 0).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    if (changed.length) {
      out.push('| Resource | Base | Now | Delta |', '|---|---:|---:|---:|');
      for (const r of changed.slice(0, MAX_ROWS)) out.push(`| ${code(r.resource)} in ${code(r.stack)} | ${usd(r.baseMonthly)} | ${usd(r.monthly)} | ${signedUsd(r.delta)} |`);
      if (changed.length > MAX_ROWS) out.push('', `… and ${changed.length - MAX_ROWS} more changed resources.`);
      out.push('');
    }
  }
  const priced = [...c.resources].filter((r) => r.monthly > 0).sort((a, b) => b.monthly - a.monthly);
  if (priced.length) {
    out.push('<details><summary>Cost by resource</summary>', '', '| Resource | Type | Monthly | Components |', '|---|---|---:|---|');
    for (const r of priced.slice(0, MAX_ROWS)) {
      const comps = r.components.filter((x) => x.monthly > 0).map((x) => `${md(x.name)}: ${x.quantity} ${md(x.unit)} × ${usd(x.unitPrice)} = ${usd(x.monthly)}`);
      out.push(`| ${code(r.resource)} in ${code(r.stack)} | ${code(r.type)} | ${usd(r.monthly)} | ${comps.join('<br>')} |`);
    }
    if (priced.length > MAX_ROWS) out.push('', `… and ${priced.length - MAX_ROWS} more.`);
    out.push('', '</details>', '');
  }
  const [noPrice, unsupportedTypes] = splitUnsupported(c);
  if (unsupportedTypes.length) {
    const types = [...new Set(unsupportedTypes.map((u) => u.type))].sort();
    out.push(`Not priced (${unsupportedTypes.length} resources of unsupported types): ${types.map(code).join(', ')}.`, '');
  }
  if (noPrice.length) {
    const types = [...new Set(noPrice.map((u) => u.type))].sort();
    out.push(`Not priced (${noPrice.length} resources; ${md(unpricedWhy(c))}): ${types.map(code).join(', ')}.`, '');
  }
  return out;
}

function suppressionsSection(suppressed: Finding[]): string[] {
  if (!suppressed.length) return [];
  const out = ['### Suppressions', '', '| Rule | Resource | Reason | Expires | Declared in |', '|---|---|---|---|---|'];
  for (const f of suppressed.slice(0, MAX_FINDINGS)) {
    out.push(`| ${code(f.ruleId)}${f.detail ? ` (${code(f.detail)})` : ''} | ${code(f.resource)}${f.stack ? ` in ${code(f.stack)}` : ''} | ${md(f.suppressionReason ?? '')} | ${f.suppressionExpires ?? 'never'} | ${md(f.suppressionOrigin ?? 'code')} |`);
  }
  if (suppressed.length > MAX_FINDINGS) out.push('', `… and ${suppressed.length - MAX_FINDINGS} more.`);
  out.push('');
  return out;
}

export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const open = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const out: string[] = [];
  out.push(`## ${s.failed ? '❌' : '✅'} Gantry audit ${s.failed ? 'failed' : 'passed'}`, '');
  out.push(md(verdictLine(report)), '');
  out.push(`| ${SEVERITY_ORDER.join(' | ')} | suppressed |`, `|${SEVERITY_ORDER.map(() => '---:').join('|')}|---:|`);
  out.push(`| ${SEVERITY_ORDER.map((k) => s.bySeverity[k]).join(' | ')} | ${s.suppressed ?? 0} |`, '');
  out.push(`Inputs: ${report.inputs.map(code).join(', ')} · gate: ${s.failOn === 'none' ? 'none' : `--fail-on ${s.failOn}`}${s.newOnly ? ' (new findings only)' : ''}${s.budget ? ` · budget ${usd(s.budget.limit)}/month` : ''} · gantry ${report.tool.version} · ${report.generatedAt}`, '');
  out.push(...findingsSection(report, open));
  out.push(...quotasSection(report));
  out.push(...costSection(report));
  out.push(...suppressionsSection(suppressed));
  if (report.notes?.length) out.push('### Notes', '', ...report.notes.map((n) => `- ${md(n)}`), '');
  out.push(`<sub>${md(countsLine(report))}</sub>`, '');
  return out.join('\n');
}
