/**
 * The audit, end to end: load → quotas → rules → suppressions → cost (→ the same for the
 * --compare base) → the contract report. The CLI parses flags and renders; everything the audit
 * decides happens here.
 */
import * as path from 'node:path';
import type { RuleContext } from '../policies/context';
import type { Rule, RuleMeta } from '../policies/rule';
import { UserError } from './errors';
import { findingKey, runRules } from './engine';
import { defaultPeers, type AuditPeers } from './engine/peers';
import type { ResourceModel } from './model/types';
import { buildReport, type FailOn } from './report/build';
import type { CostReport, Finding, QuotaRow, Report } from './report/contract';
import { applySuppressions, discoverSuppressionsFiles, loadSuppressionsFile, type FileSuppression } from './suppressions';

export interface AuditRequest {
  /** Inputs as the user gave them (resolved against `cwd`). */
  readonly inputs: readonly string[];
  readonly cwd: string;
  readonly failOn: FailOn;
  readonly region?: string;
  readonly live: boolean;
  readonly usage?: string;
  readonly freeTier: boolean;
  /** A suppressions file, `false` for --no-suppressions (code suppressions ignored too), or undefined to discover one. */
  readonly suppressions?: string | false;
  readonly compare?: string;
  readonly newOnly: boolean;
  readonly budget?: number;
  /** Quota utilization (fraction) at which a row is a warning. */
  readonly quotaWarnAt?: number;
  readonly now: Date;
  /** Called for every warning as it happens (they also land in the report's notes). */
  readonly warn?: (msg: string) => void;
}

export interface AuditOutcome {
  readonly report: Report;
  readonly rules: readonly RuleMeta[];
}

interface Side {
  readonly model: ResourceModel;
  readonly findings: Finding[];
  readonly quotas: QuotaRow[];
  readonly cost: CostReport | null;
  readonly ruleErrors: number;
}

export async function runAudit(req: AuditRequest, peers: AuditPeers = defaultPeers): Promise<AuditOutcome> {
  if (!req.inputs.length) throw new UserError(undefined, 'no input to audit');
  if (req.newOnly && !req.compare) throw new UserError('--new-only', 'needs --compare BASE to know which findings are new');
  const notes: string[] = [];
  const warn = (msg: string) => {
    if (notes.includes(msg)) return;
    notes.push(msg);
    req.warn?.(msg);
  };
  const today = req.now.toISOString().slice(0, 10);
  const rules = peers.rules();
  const ruleIds = new Set(rules.map((r) => r.id));
  const fileSuppressions = readSuppressions(req);
  const iam = await peers.loadIamCatalog();
  const usage = req.usage !== undefined ? path.resolve(req.cwd, req.usage) : undefined;

  const side = async (inputs: readonly string[], label: string): Promise<Side> => {
    const sideWarn = (msg: string) => warn(label ? `${label}: ${msg}` : msg);
    const model = load(peers, inputs, req.cwd);
    let quotas: QuotaRow[] = [];
    if (!label) {
      try {
        quotas = await peers.evaluateQuotas(model, { region: req.region, live: req.live, warnAt: req.quotaWarnAt, warn: sideWarn });
      } catch (e) {
        if (e instanceof UserError) throw e;
        sideWarn(`quotas were not evaluated: ${oneLine(e)}`);
      }
    }
    const ctx: RuleContext = { iam, quotas, today };
    const engine = runRules(model, rules as Rule[], ctx, { cwd: req.cwd });
    let findings = engine.findings;
    if (req.suppressions !== false) {
      const applied = applySuppressions(model, findings, fileSuppressions, { today, ruleIds });
      findings = applied.findings;
      if (!label) applied.notes.forEach(sideWarn);
    }
    let cost: CostReport | null = null;
    try {
      cost = await peers.estimateCost(model, { region: req.region, live: req.live, usage, freeTier: req.freeTier, warn: sideWarn });
    } catch (e) {
      if (e instanceof UserError || req.budget !== undefined) throw e;
      sideWarn(`cost was not estimated: ${oneLine(e)}`);
    }
    return { model, findings, quotas, cost, ruleErrors: engine.ruleErrors.length };
  };

  const head = await side(req.inputs, '');
  let findings = head.findings;
  let cost = head.cost;
  if (req.compare !== undefined) {
    const base = await side([req.compare], `base ${req.compare}`);
    const before = new Set(base.findings.map(findingKey));
    findings = findings.map((f) => ({ ...f, new: !before.has(findingKey(f)) }));
    if (cost && base.cost) cost = { ...cost, diff: peers.diffCost(base.cost, cost) };
  }
  const report = buildReport({
    inputs: req.inputs,
    findings,
    quotas: head.quotas,
    cost,
    failOn: req.failOn,
    newOnly: req.newOnly,
    budget: req.budget,
    ruleErrors: head.ruleErrors,
    notes,
    generatedAt: req.now,
  });
  return { report, rules };
}

function readSuppressions(req: AuditRequest): FileSuppression[] {
  if (req.suppressions === false) return [];
  const files = req.suppressions !== undefined ? [req.suppressions] : discoverSuppressionsFiles(req.inputs, req.cwd);
  const out: FileSuppression[] = [];
  for (const f of files) {
    // Messages name the file as the user wrote it; reading resolves it against cwd.
    const abs = path.resolve(req.cwd, f);
    try {
      out.push(...loadSuppressionsFile(abs).map((s) => ({ ...s, origin: f })));
    } catch (e) {
      if (e instanceof UserError && e.subject === abs) throw new UserError(f, e.problem);
      throw e;
    }
  }
  return out;
}

function load(peers: AuditPeers, inputs: readonly string[], cwd: string): ResourceModel {
  const abs = inputs.map((i) => path.resolve(cwd, i));
  try {
    return peers.loadInputs(abs);
  } catch (e) {
    if (e instanceof UserError) throw relativise(e, cwd);
    // A stack overflow or an allocation failure means the input is hostile or absurdly large.
    if (e instanceof RangeError) throw new UserError(inputs.join(', '), `input too deeply nested or too large to read (${oneLine(e)})`);
    throw e;
  }
}

/** Loader messages may name absolute paths; show them relative to where the user ran gantry. */
function relativise(e: UserError, cwd: string): UserError {
  const rel = (s: string) => (path.isAbsolute(s) && s.startsWith(cwd + path.sep) ? path.relative(cwd, s) : s);
  const subject = e.subject !== undefined ? rel(e.subject) : undefined;
  return subject === e.subject ? e : new UserError(subject, e.problem);
}

function oneLine(e: unknown): string {
  const s = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
  return s.length > 200 ? s.slice(0, 197) + '…' : s;
}
