/**
 * Applies suppressions to findings. Two sources: in code (the resource's `//` metadata, already on
 * `node.suppressions`) and suppressions files. A suppression that has expired stops working and
 * says so on the finding (`suppressionExpired`) and in the report's notes.
 */
import type { ResourceModel, ResourceNode, Suppression } from '../model/types';
import type { Finding } from '../report/contract';
import { UserError } from '../errors';
import { MIN_REASON, isIsoDate, type FileSuppression } from './file';

export interface ApplyOptions {
  /** Today (YYYY-MM-DD): a suppression expiring before today no longer applies (it works through its expiry date). */
  readonly today: string;
  /** Known rule ids: suppressions naming any other rule are reported in notes (likely typos). */
  readonly ruleIds?: ReadonlySet<string>;
}

export interface ApplyResult {
  readonly findings: Finding[];
  readonly notes: string[];
}

interface Candidate {
  readonly ruleId: string;
  readonly reason: string;
  readonly detail?: string;
  readonly expires?: string;
  readonly origin: string;
  readonly label: string;
}

const norm = (id: string) => id.trim().toLowerCase();

/** Validate suppressions recorded in code (they come from untrusted input, so suppress.ts's checks are repeated). */
export function codeSuppressions(node: ResourceNode): Candidate[] {
  const out: Candidate[] = [];
  node.suppressions.forEach((s: Suppression, i) => {
    const label = `${node.stack}/${node.address} suppression #${i + 1} (${s.ruleId})`;
    if (typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON) {
      throw new UserError(node.file, `${label}: reason must be at least ${MIN_REASON} characters`);
    }
    if (s.expires !== undefined && !isIsoDate(s.expires)) throw new UserError(node.file, `${label}: expires '${s.expires}' must be a date written YYYY-MM-DD`);
    out.push({ ruleId: s.ruleId, reason: s.reason.trim(), origin: s.origin || 'code', label, ...(s.detail ? { detail: s.detail } : {}), ...(s.expires ? { expires: s.expires } : {}) });
  });
  return out;
}

function addressCovers(address: string, resource: string): boolean {
  return resource === address || (resource.startsWith(address) && resource.charCodeAt(address.length) === 91 /* [ */);
}

function pathCovers(p: string, constructPath: string | undefined): boolean {
  if (!constructPath) return false;
  const a = p.replace(/\/+$/, '');
  return constructPath === a || constructPath.startsWith(a + '/');
}

export function applySuppressions(model: ResourceModel | undefined, findings: readonly Finding[], fileSuppressions: readonly FileSuppression[], options: ApplyOptions): ApplyResult {
  const notes: string[] = [];
  const used = new Set<FileSuppression>();
  const expiredNoted = new Set<string>();
  const codeCache = new Map<ResourceNode, Candidate[]>();
  const byRule = new Map<string, FileSuppression[]>();
  for (const s of fileSuppressions) {
    const k = norm(s.ruleId);
    const l = byRule.get(k);
    if (l) l.push(s);
    else byRule.set(k, [s]);
  }
  // No suppression anywhere (the common case): every finding stays as it is, and none needs its node looked up.
  const out = byRule.size === 0 && !anyInCode(model) ? findings.slice() : findings.map((f) => {
    const node = model?.get(f.stack, f.resource);
    const inCode = node !== undefined && node.suppressions.length > 0;
    const inFiles = byRule.size > 0 ? byRule.get(norm(f.ruleId)) : undefined;
    // Nothing could suppress it (the common case): the finding as it is, no copy.
    if (!inCode && inFiles === undefined) return f;
    const candidates: Candidate[] = [];
    if (inCode) {
      let c = codeCache.get(node);
      if (!c) codeCache.set(node, (c = codeSuppressions(node)));
      for (const s of c) if (norm(s.ruleId) === norm(f.ruleId)) candidates.push(s);
    }
    for (const s of inFiles ?? []) {
      if (s.stack !== '*' && s.stack !== f.stack) continue;
      if (s.resource !== undefined ? !addressCovers(s.resource, f.resource) : !pathCovers(s.constructPath ?? '', node?.constructPath)) continue;
      used.add(s);
      candidates.push({ ruleId: s.ruleId, reason: s.reason, origin: s.origin, label: `${s.origin} suppression #${s.entry} (${s.ruleId})`, ...(s.detail ? { detail: s.detail } : {}), ...(s.expires ? { expires: s.expires } : {}) });
    }
    let expired: Candidate | undefined;
    for (const s of candidates) {
      if (s.detail !== undefined && s.detail !== f.detail) continue;
      if (s.expires !== undefined && s.expires < options.today) {
        expired ??= s;
        continue;
      }
      return { ...f, suppressed: true, suppressionReason: s.reason, suppressionOrigin: s.origin, ...(s.expires ? { suppressionExpires: s.expires } : {}) };
    }
    if (expired) {
      if (!expiredNoted.has(expired.label)) {
        expiredNoted.add(expired.label);
        notes.push(`${expired.label} expired on ${expired.expires}; its findings count again`);
      }
      return { ...f, suppressionExpired: expired.expires!, message: `${f.message} (suppression expired on ${expired.expires})` };
    }
    return f;
  });
  for (const s of fileSuppressions) {
    if (options.ruleIds && !hasRule(options.ruleIds, s.ruleId)) notes.push(`${s.origin} suppression #${s.entry}: no rule '${s.ruleId}' exists`);
    else if (!used.has(s)) notes.push(`${s.origin} suppression #${s.entry} (${s.ruleId}) matched no finding; remove it if it is no longer needed`);
  }
  return { findings: out, notes };
}

/** Does any resource carry a suppression in code? (A walk over the nodes costs less than a look-up per finding.) */
function anyInCode(model: ResourceModel | undefined): boolean {
  if (model === undefined) return false;
  const nodes = model.resources;
  for (let i = 0; i < nodes.length; i++) if (nodes[i].suppressions.length > 0) return true;
  return false;
}

function hasRule(ids: ReadonlySet<string>, id: string): boolean {
  if (ids.has(id)) return true;
  const n = norm(id);
  for (const r of ids) if (norm(r) === n) return true;
  return false;
}
