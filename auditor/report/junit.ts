/**
 * `--format junit`: one test suite per rule, one test case per rule and resource (or one passing
 * case when the rule found nothing). A case fails when a finding at or above --fail-on is on it
 * (with --new-only: a new one); all-suppressed cases are skipped. Budget and rule errors get
 * their own suite, so CodeBuild report groups show why a build failed.
 */
import type { Finding, Report } from './contract';
import type { RenderContext } from './context';
import { failsGate } from './build';
import { verdictLine } from './summary';
import { usd } from './text';

/** Escape for XML 1.0 text and attributes, dropping characters XML cannot carry. */
export function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  out?: string;
}

function describe(f: Finding): string {
  return `[${f.severity}] ${f.message}${f.detail ? ` (${f.detail})` : ''}${f.new === false ? ' (also in the base)' : ''}`;
}

export function renderJunit(report: Report, ctx: RenderContext): string {
  const failOn = report.summary.failOn;
  const newOnly = report.summary.newOnly === true;
  const byRule = new Map<string, Map<string, Finding[]>>();
  for (const r of ctx.rules) byRule.set(r.id, new Map());
  for (const f of report.findings) {
    let m = byRule.get(f.ruleId);
    if (!m) byRule.set(f.ruleId, (m = new Map()));
    const key = f.stack ? `${f.stack}/${f.resource}` : f.resource;
    const l = m.get(key);
    if (l) l.push(f);
    else m.set(key, [f]);
  }
  const titles = new Map(ctx.rules.map((r) => [r.id, r.title]));
  const suites: { name: string; cases: Case[] }[] = [];
  for (const ruleId of [...byRule.keys()].sort()) {
    const resources = byRule.get(ruleId)!;
    const cases: Case[] = [];
    if (resources.size === 0) cases.push({ name: 'no findings', classname: ruleId });
    for (const [resource, fs] of [...resources.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const c: Case = { name: resource, classname: ruleId };
      const failing = fs.filter((f) => failsGate(f, failOn, newOnly));
      const open = fs.filter((f) => !f.suppressed);
      if (failing.length) {
        c.failure = {
          message: failing[0].message,
          type: failing[0].severity,
          body: `${fs.map(describe).join('\n')}\n\nRemediation: ${failing[0].remediation}`,
        };
      } else if (!open.length) {
        c.skipped = `suppressed: ${fs[0].suppressionReason ?? ''}${fs[0].suppressionExpires ? ` (until ${fs[0].suppressionExpires})` : ''}`;
      } else {
        c.out = `${open.map(describe).join('\n')}\n(below --fail-on ${failOn}${newOnly ? ', or not new' : ''})`;
      }
      cases.push(c);
    }
    suites.push({ name: titles.has(ruleId) ? `${ruleId}: ${titles.get(ruleId)}` : ruleId, cases });
  }
  if (report.cost) {
    // The cost summary rides along as a passing test case, so CodeBuild's report view shows it.
    const c = report.cost;
    const lines = [`estimated monthly cost ${usd(c.monthlyTotal)} ${c.currency} (prices: ${c.pricing.source}, as of ${c.pricing.asOf}, ${c.pricing.region})`];
    if (c.coverage && !c.coverage.complete) lines.push(`partial estimate: ${c.coverage.pricedResources} resources priced, ${c.coverage.unpricedResources} not priced (see cost.unsupported in --format json)`);
    if (c.diff) lines.push(`compared with the base: ${usd(c.diff.baseMonthlyTotal)} -> ${usd(c.monthlyTotal)} (delta ${usd(c.diff.monthlyDelta)}/month)`);
    suites.push({ name: 'gantry/cost', cases: [{ name: 'estimated monthly cost', classname: 'gantry/cost', out: lines.join('\n') }] });
  }
  const b = report.summary.budget;
  if (b) {
    const c: Case = { name: `monthly cost within ${usd(b.limit)}`, classname: 'gantry/budget' };
    if (b.exceeded) c.failure = { message: `estimated monthly cost ${usd(b.monthlyTotal ?? 0)} exceeds the budget of ${usd(b.limit)}`, type: 'budget', body: verdictLine(report) };
    else c.out = `estimated monthly cost ${b.monthlyTotal === null ? 'unknown' : usd(b.monthlyTotal)}`;
    suites.push({ name: 'gantry/budget', cases: [c] });
  }
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const skipped = suites.reduce((n, s) => n + s.cases.filter((c) => c.skipped).length, 0);
  lines.push(`<testsuites name="gantry audit" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${xml(report.generatedAt)}">`);
  for (const s of suites) {
    const f = s.cases.filter((c) => c.failure).length;
    const k = s.cases.filter((c) => c.skipped).length;
    lines.push(`  <testsuite name="${xml(s.name)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="${k}" time="0">`);
    for (const c of s.cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="0"`;
      if (c.failure) {
        lines.push(`${open}>`, `      <failure message="${xml(c.failure.message)}" type="${xml(c.failure.type)}">${xml(c.failure.body)}</failure>`, '    </testcase>');
      } else if (c.skipped) {
        lines.push(`${open}>`, `      <skipped message="${xml(c.skipped)}"/>`, '    </testcase>');
      } else if (c.out) {
        lines.push(`${open}>`, `      <system-out>${xml(c.out)}</system-out>`, '    </testcase>');
      } else lines.push(`${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
