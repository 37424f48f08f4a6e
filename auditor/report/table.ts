/** `--format table` (default): findings grouped by severity, then quotas and cost; fits 120 columns. */
import { SEVERITY_ORDER } from '../../policies/rule';
import type { Finding, Report } from './contract';
import { box, type BoxRow } from './box';
import { splitUnsupported, unpricedWhy, verdictLine } from './summary';
import { percent, truncate, usd, signedUsd, wrap } from './text';

export const TABLE_WIDTH = 120;
/** A table whose columns (content widths, padding included) and borders add up to `TABLE_WIDTH`. */
function table(head: string[], widths: number[]) {
  const sum = widths.reduce((a, b) => a + b, 0) + widths.length + 1;
  if (sum !== TABLE_WIDTH) throw new Error(`table widths add up to ${sum}, not ${TABLE_WIDTH}`);
  const rows: BoxRow[] = [];
  return { push: (r: BoxRow) => void rows.push(r), toString: () => box(head, widths, rows) };
}

const cell = (text: string, width: number, maxLines = 8): string => {
  const lines = wrap(text, width - 2).split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  return [...lines.slice(0, maxLines - 1), truncate(lines[maxLines - 1] + ' …', width - 2)].join('\n');
};

function findingsTable(findings: readonly Finding[]): string {
  const W = [10, 38, 30, 37];
  const t = table(['Severity', 'Rule', 'Resource', 'Finding'], W);
  for (const sev of SEVERITY_ORDER) {
    const group = findings.filter((f) => f.severity === sev);
    if (!group.length) continue;
    t.push({ span: `${sev.toUpperCase()} (${group.length})` });
    for (const f of group) {
      const msg = `${f.new ? 'NEW: ' : ''}${f.message}${f.detail && !f.message.includes(f.detail) ? ` [${f.detail}]` : ''}`;
      const where = f.stack ? `${f.resource}\nin ${f.stack}` : f.resource;
      t.push([sev, cell(f.ruleId, W[1]), cell(where, W[2], 4), cell(msg, W[3])]);
    }
  }
  return t.toString();
}

function suppressedTable(findings: readonly Finding[]): string {
  const W = [32, 36, 48];
  const t = table(['Rule', 'Resource', 'Reason'], W);
  for (const f of findings) {
    const reason = `${f.suppressionReason ?? ''}${f.suppressionExpires ? ` (until ${f.suppressionExpires})` : ''}${f.suppressionOrigin && f.suppressionOrigin !== 'code' ? ` [${f.suppressionOrigin}]` : ''}`;
    t.push([cell(f.ruleId, W[0]), cell(f.stack ? `${f.resource}\nin ${f.stack}` : f.resource, W[1], 4), cell(reason, W[2], 4)]);
  }
  return t.toString();
}

function quotaTable(report: Report): string {
  const W = [12, 36, 11, 9, 9, 16, 8, 10];
  const t = table(['Service', 'Quota', 'Region', 'Planned', 'Current', 'Limit', 'Use', 'Status'], W);
  const rows = [...report.quotas].sort((a, b) => b.utilization - a.utilization);
  for (const q of rows.slice(0, 40)) {
    t.push([
      cell(q.service, W[0], 2),
      cell(`${q.quotaName} (${q.quotaCode})`, W[1], 3),
      cell(q.region, W[2], 2),
      String(q.planned),
      q.currentUsage === null ? 'unknown' : String(q.currentUsage),
      cell(`${q.limit} (${q.limitSource})`, W[5], 2),
      percent(q.utilization),
      q.status,
    ]);
  }
  let s = t.toString();
  if (rows.length > 40) s += `\n… and ${rows.length - 40} more quota rows (see --format json)`;
  return s;
}

function costSection(report: Report): string {
  const c = report.cost!;
  const lines: string[] = [];
  const regions = c.pricing.regions && c.pricing.regions.length > 1 ? c.pricing.regions.join(', ') : c.pricing.region;
  const partial = c.coverage && !c.coverage.complete ? ` for ${c.coverage.pricedResources} priced resources; ${c.coverage.unpricedResources} not priced (${unpricedWhy(c)})` : '';
  lines.push(wrap(`Estimated monthly cost: ${usd(c.monthlyTotal)} ${c.currency}${partial} (prices: ${c.pricing.source}, as of ${c.pricing.asOf}, ${regions})`, TABLE_WIDTH));
  // 120 columns with the borders; a Delta column only when there is a base to compare with.
  const W = c.diff ? [52, 34, 14, 15] : [60, 40, 16];
  const t = table(c.diff ? ['Resource', 'Type', 'Monthly', 'Delta'] : ['Resource', 'Type', 'Monthly'], W);
  const deltas = new Map((c.diff?.resources ?? []).map((r) => [`${r.stack}/${r.resource}`, r.delta]));
  // Resources with a price of their own stay visible at $0 when a free tier covers them (a V1
  // pipeline, 100 build minutes); only resource types that are free on purpose are summarised.
  const rows = [...c.resources]
    .sort((a, b) => b.monthly - a.monthly)
    .filter((r) => r.monthly > 0 || deltas.get(`${r.stack}/${r.resource}`) || r.components.some((p) => p.unitPrice > 0));
  for (const r of rows.slice(0, 20)) {
    const d = deltas.get(`${r.stack}/${r.resource}`);
    const row = [cell(`${r.stack}/${r.resource}`, W[0], 2), cell(r.type, W[1], 2), usd(r.monthly)];
    t.push(c.diff ? [...row, d === undefined ? '' : signedUsd(d)] : row);
  }
  if (rows.length) lines.push(t.toString());
  if (rows.length > 20) lines.push(`… and ${rows.length - 20} more priced resources`);
  const free = c.resources.length - rows.length;
  if (free > 0) lines.push(`${free} resource${free === 1 ? '' : 's'} with no charge (free resource types and free uses such as CodeDeploy to EC2).`);
  if (c.diff) lines.push(`Compared with the base: ${usd(c.diff.baseMonthlyTotal)} → ${usd(c.monthlyTotal)} (${signedUsd(c.diff.monthlyDelta)}/month)`);
  const [noPrice, unsupportedTypes] = splitUnsupported(c);
  if (unsupportedTypes.length) {
    const types = [...new Set(unsupportedTypes.map((u) => u.type))].sort();
    lines.push(wrap(`Not priced (unsupported types, ${unsupportedTypes.length}): ${types.join(', ')}`, TABLE_WIDTH));
  }
  if (noPrice.length) {
    const types = [...new Set(noPrice.map((u) => u.type))].sort();
    lines.push(wrap(`Not priced (${unpricedWhy(c)}, ${noPrice.length}): ${types.join(', ')}; details in --format json (cost.unsupported)`, TABLE_WIDTH));
  }
  return lines.join('\n');
}

export function renderTable(report: Report): string {
  const out: string[] = [];
  const open = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  out.push(open.length ? findingsTable(open) : 'No findings.');
  if (suppressed.length) out.push(`Suppressed (${suppressed.length}):\n${suppressedTable(suppressed)}`);
  if (report.quotas.length) out.push(`Quotas (planned + current against the account's limits):\n${quotaTable(report)}`);
  if (report.cost) out.push(costSection(report));
  if (report.notes?.length) out.push(report.notes.map((n) => wrap(`note: ${n}`, TABLE_WIDTH)).join('\n'));
  out.push(wrap(verdictLine(report), TABLE_WIDTH));
  return out.join('\n\n') + '\n';
}
