/**
 * The rule engine: runs every (pure) rule over the model and turns each RuleResult into a contract
 * Finding. A rule that throws does not stop the audit: it becomes one `info` finding naming the
 * rule, and is counted in `ruleErrors` so tests (and --format json) can see it.
 */
import * as path from 'node:path';
import type { RuleContext } from '../../policies/context';
import type { Rule, RuleResult } from '../../policies/rule';
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
    // Duplicates (same rule, stack, resource, detail and message) are dropped: per rule, the first
    // finding at each address is kept and compared, with a list only for the rare address reported
    // more than once, so no key string is built per finding.
    const first = new Map<string, Finding>();
    let more: Map<string, Finding[]> | undefined;
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      const node = r.node;
      const detail = r.detail !== undefined && r.detail !== '' ? r.detail : undefined;
      const prev = first.get(node.address);
      if (prev !== undefined) {
        if (sameFinding(prev, node.stack, detail, r.message)) continue;
        const list = (more ??= new Map<string, Finding[]>()).get(node.address);
        if (list !== undefined && list.some((f) => sameFinding(f, node.stack, detail, r.message))) continue;
      }
      const f: Finding = {
        ruleId: rule.id,
        category: rule.category,
        severity: r.severity ?? rule.severity,
        resource: node.address,
        stack: node.stack,
        message: r.message,
        remediation: rule.remediation,
        suppressed: false,
        suppressionReason: null,
      };
      if (detail !== undefined) f.detail = detail;
      if (node.file) f.file = rel(node.file);
      if (prev === undefined) first.set(node.address, f);
      else {
        const list = more!.get(node.address);
        if (list) list.push(f);
        else more!.set(node.address, [f]);
      }
      findings.push(f);
    }
  }
  findings.sort(compareFindings);
  return { findings, ruleErrors };
}

function sameFinding(f: Finding, stack: string, detail: string | undefined, message: string): boolean {
  return f.message === message && f.stack === stack && (f.detail ?? '') === (detail ?? '');
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? line.slice(0, 297) + '…' : line;
}
