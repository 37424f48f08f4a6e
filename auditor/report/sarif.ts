/**
 * `--format sarif`: SARIF 2.1.0 for code scanning. Every rule of the catalogue is described
 * (help from its rationale and remediation, `security-severity`), every result has a physical
 * location (the input file, at the resource's line when it can be found) and a logical one (the
 * Terraform address). Cost and quota summaries ride in `run.properties`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleMeta, Severity } from '../../policies/rule';
import type { Finding, Report } from './contract';
import type { RenderContext } from './context';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: undefined };

function ruleDescriptor(rule: Pick<RuleMeta, 'id' | 'title' | 'category' | 'severity' | 'rationale' | 'remediation' | 'equivalents'>): Record<string, unknown> {
  const eq = rule.equivalents;
  const eqText = eq
    ? Object.entries(eq)
        .filter(([, ids]) => ids && ids.length)
        .map(([tool, ids]) => `${tool}: ${(ids as string[]).join(', ')}`)
        .join('; ')
    : '';
  const props: Record<string, unknown> = { tags: ['security', rule.category], precision: 'high', 'gantry-severity': rule.severity };
  const ss = SECURITY_SEVERITY[rule.severity];
  if (ss) props['security-severity'] = ss;
  return {
    id: rule.id,
    name: rule.id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.rationale}\n\nRemediation: ${rule.remediation}${eqText ? `\n\nEquivalent checks: ${eqText}` : ''}`,
      markdown: `${rule.rationale}\n\n**Remediation:** ${rule.remediation}${eqText ? `\n\n*Equivalent checks:* ${eqText}` : ''}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: props,
  };
}

/** Finds the line a resource block starts on in a Terraform JSON file (1 when it cannot tell). */
class LineLocator {
  private readonly files = new Map<string, string | null>();
  constructor(private readonly cwd: string) {}

  line(file: string, address: string): number {
    let text = this.files.get(file);
    if (text === undefined) {
      try {
        const abs = path.resolve(this.cwd, file);
        text = fs.statSync(abs).size <= 256 * 1024 * 1024 ? fs.readFileSync(abs, 'utf8') : null;
      } catch {
        text = null;
      }
      this.files.set(file, text);
    }
    if (!text) return 1;
    const parts = address.replace(/\[[^\]]*\]$/, '').split('.');
    if (parts[0] === 'module' || parts.length < 2) return 1;
    const [type, name] = parts[0] === 'data' ? [parts[1], parts[2]] : [parts[0], parts[1]];
    if (!type || !name) return 1;
    const t = text.indexOf(`"${type}"`);
    if (t < 0) return 1;
    const n = text.indexOf(`"${name}"`, t);
    if (n < 0) return 1;
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < n; i = text.indexOf('\n', i + 1)) line++;
    return line;
  }
}

function fingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.ruleId}\u0000${f.stack}\u0000${f.resource}\u0000${f.detail ?? ''}`).digest('hex').slice(0, 32);
}

export function renderSarif(report: Report, ctx: RenderContext): string {
  const cwd = ctx.cwd ?? process.cwd();
  const known = new Map(ctx.rules.map((r) => [r.id, r]));
  const rules: Record<string, unknown>[] = [];
  const index = new Map<string, number>();
  const describe = (rule: Parameters<typeof ruleDescriptor>[0]) => {
    if (index.has(rule.id)) return;
    index.set(rule.id, rules.length);
    rules.push(ruleDescriptor(rule));
  };
  for (const r of [...ctx.rules].sort((a, b) => (a.id < b.id ? -1 : 1))) describe(r);
  const locator = new LineLocator(cwd);
  const defaultUri = (report.inputs[0] ?? '.').split(path.sep).join('/');
  const results = report.findings.map((f) => {
    if (!index.has(f.ruleId)) {
      describe(known.get(f.ruleId) ?? { id: f.ruleId, title: f.ruleId, category: f.category, severity: f.severity, rationale: f.message, remediation: f.remediation });
    }
    const uri = f.file ?? defaultUri;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.message}${f.stack ? ` (${f.stack}/${f.resource})` : ''}. ${f.remediation}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: f.file ? locator.line(f.file, f.resource) : 1 } },
          logicalLocations: [{ name: f.resource, fullyQualifiedName: f.stack ? `${f.stack}/${f.resource}` : f.resource, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'gantryFinding/v1': fingerprint(f) },
      properties: { severity: f.severity, category: f.category, stack: f.stack, ...(f.detail ? { detail: f.detail } : {}), ...(f.new !== undefined ? { new: f.new } : {}) },
    };
    if (f.suppressed) {
      result.suppressions = [{ kind: f.suppressionOrigin === 'code' ? 'inSource' : 'external', status: 'accepted', justification: f.suppressionReason ?? '' }];
    }
    return result;
  });
  const runProps: Record<string, unknown> = { summary: report.summary, inputs: report.inputs };
  if (report.cost) {
    const c = report.cost;
    runProps.cost = { currency: c.currency, monthlyTotal: c.monthlyTotal, pricing: c.pricing, resources: c.resources.length, unsupported: c.unsupported.length, diff: c.diff ? { baseMonthlyTotal: c.diff.baseMonthlyTotal, monthlyDelta: c.diff.monthlyDelta } : null };
  }
  if (report.quotas.length) runProps.quotas = report.quotas;
  if (report.notes?.length) runProps.notes = report.notes;
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gantry', version: report.tool.version, semanticVersion: report.tool.version, rules } },
        automationDetails: { id: `gantry/${report.inputs.join('+')}/` },
        invocations: [{ executionSuccessful: (report.summary.ruleErrors ?? 0) === 0, endTimeUtc: report.generatedAt }],
        results,
        properties: runProps,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
