/**
 * The rule engine: runs every (pure) rule over the model and turns each RuleResult into a contract
 * Finding. A rule that throws does not stop the audit: it becomes one `info` finding naming the
 * rule, and is counted in `ruleErrors` so tests (and --format json) can see it.
 */
import * as path from 'node:path';
import type { RuleContext } from '../../policies/context';
import type { Rule, RuleResult, Severity } from '../../policies/rule';
import type { ResourceModel } from '../model/types';
import type { Finding } from '../report/contract';
import { compareFindings } from './order';

export interface RuleError {
  readonly ruleId: string;
  readonly message: string;
}

export interface EngineResult {
  /** Sorted (see order.ts), de-duplicated, none suppressed yet. */
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
}

/** The pseudo-resource an engine-level finding is attached to. */
export const AUDIT_RESOURCE = '(audit)';

export interface EngineOptions {
  /** Paths in findings' `file` are made relative to this folder. @default process.cwd() */
  readonly cwd?: string;
}

export function runRules(model: ResourceModel, rules: readonly Rule[], ctx: RuleContext, options: EngineOptions = {}): EngineResult {
  const cwd = options.cwd ?? process.cwd();
  const relCache = new Map<string, string>();
  const rel = (file: string): string => {
    let r = relCache.get(file);
    if (r === undefined) {
      r = path.isAbsolute(file) ? path.relative(cwd, file) || file : file;
      r = r.split(path.sep).join('/');
      relCache.set(file, r);
    }
    return r;
  };
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  for (const rule of rules) {
    let results: readonly RuleResult[];
    try {
      results = rule.check(model, ctx);
      if (!Array.isArray(results)) throw new TypeError(`check() returned ${typeof results}, not an array`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ruleErrors.push({ ruleId: rule.id, message });
      findings.push({
        ruleId: rule.id,
        category: rule.category,
        severity: 'info',
        resource: AUDIT_RESOURCE,
        stack: '',
        message: `rule ${rule.id} failed and its checks were skipped: ${oneLine(message)}`,
        remediation: 'This is a bug in Gantry, not in your configuration; please report it with the input that triggered it.',
        suppressed: false,
        suppressionReason: null,
      });
      continue;
    }
    // Duplicates (same rule, stack, resource, detail and message) are dropped, the first kept. They
    // are found after sorting, where they sit side by side (the sort is stable, so the first stays
    // first): no key or map per finding. Only a rule giving one address two severities could have
    // duplicates apart; its findings are de-duplicated here, the way the sort cannot.
    const start = findings.length;
    let mixed = false;
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      const severity = r.severity ?? rule.severity;
      if (i > 0 && severity !== findings[findings.length - 1].severity) mixed = true;
      findings.push(finding(rule, r, severity, rel));
    }
    if (mixed) dropDuplicates(findings, start);
  }
  findings.sort(compareFindings);
  dropAdjacentDuplicates(findings);
  return { findings, ruleErrors };
}

/**
 * The contract Finding for one result, made with all its fields at once in the report's key order
 * (fields added afterwards would give every finding a second, out-of-object property store).
 */
function finding(rule: Rule, r: RuleResult, severity: Severity, rel: (file: string) => string): Finding {
  const node = r.node;
  const detail = r.detail;
  const file = node.file ? rel(node.file) : undefined;
  if (detail !== undefined && detail !== '') {
    return file !== undefined
      ? { ruleId: rule.id, category: rule.category, severity, resource: node.address, stack: node.stack, message: r.message, remediation: rule.remediation, suppressed: false, suppressionReason: null, detail, file }
      : { ruleId: rule.id, category: rule.category, severity, resource: node.address, stack: node.stack, message: r.message, remediation: rule.remediation, suppressed: false, suppressionReason: null, detail };
  }
  return file !== undefined
    ? { ruleId: rule.id, category: rule.category, severity, resource: node.address, stack: node.stack, message: r.message, remediation: rule.remediation, suppressed: false, suppressionReason: null, file }
    : { ruleId: rule.id, category: rule.category, severity, resource: node.address, stack: node.stack, message: r.message, remediation: rule.remediation, suppressed: false, suppressionReason: null };
}

/** Same rule, stack, resource, detail and message (the severity and file may differ). */
function sameFinding(a: Finding, b: Finding): boolean {
  return a.resource === b.resource && a.message === b.message && a.stack === b.stack && a.ruleId === b.ruleId && (a.detail ?? '') === (b.detail ?? '');
}

/** Drop the duplicates of one rule's findings (findings[start..]), keeping the first of each, in place. */
function dropDuplicates(findings: Finding[], start: number): void {
  const byAddress = new Map<string, Finding[]>();
  let n = start;
  outer: for (let i = start; i < findings.length; i++) {
    const f = findings[i];
    const seen = byAddress.get(f.resource);
    if (seen === undefined) byAddress.set(f.resource, [f]);
    else {
      for (let j = 0; j < seen.length; j++) if (sameFinding(seen[j], f)) continue outer;
      seen.push(f);
    }
    findings[n++] = f;
  }
  findings.length = n;
}

/** Drop, in place, every finding equal (sameFinding) to the one before it. */
function dropAdjacentDuplicates(findings: Finding[]): void {
  let n = findings.length > 0 ? 1 : 0;
  for (let i = 1; i < findings.length; i++) {
    const f = findings[i];
    if (!sameFinding(findings[n - 1], f)) findings[n++] = f;
  }
  findings.length = n;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? line.slice(0, 297) + '…' : line;
}
