/**
 * Quotas: will this apply fit the account? Planned instances (auditor/quotas/count.ts) plus current
 * usage (live only) against the account's applied quota (live) or AWS's default (the bundled,
 * dated snapshot), as contract rows sorted by utilization.
 *
 * The engine puts the rows into RuleContext.quotas before rules run (quota/service-quota turns
 * them into findings) and into the report's `quotas`.
 */
import type { ResourceModel } from '../model/types';
import type { QuotaRow } from '../report/contract';
import { countDemand, DEFAULT_REGION, type Demand } from './count';
// ./live and ./usage load ~13 AWS SDK clients (about half a second): required only under --live.
import type { LiveLookup, QuotaClients } from './live';
import { defaultIn, loadSnapshot, type QuotaSnapshot } from './snapshot';
import { DEFAULT_WARN_AT, sortRows, verdict } from './verdict';

export interface EvaluateQuotasOptions {
  /** Region for stacks whose provider region is not literal (`--region`); else us-east-1. */
  region?: string;
  /** Ask Service Quotas / IAM / CloudWatch (`--live`), else the snapshot only. */
  live: boolean;
  /** Utilization at or above which a row is `warning` (default 0.8). */
  warnAt?: number;
  /** One line per fallback or assumption. */
  warn: (msg: string) => void;
  /** Injectable AWS clients and clock (tests). */
  clients?: QuotaClients;
  /** Replace the bundled snapshot (tests). */
  snapshot?: QuotaSnapshot;
}

export type { QuotaClients } from './live';

/** Evaluate every quota the inputs plan to use. */
export async function evaluateQuotas(model: ResourceModel, opts: EvaluateQuotasOptions): Promise<QuotaRow[]> {
  const warnAt = opts.warnAt ?? DEFAULT_WARN_AT;
  if (!(warnAt > 0 && warnAt <= 1)) throw new RangeError(`warnAt must be in (0, 1], got ${warnAt}`);
  const snapshot = opts.snapshot ?? loadSnapshot();
  const demands = countDemand(model, snapshot.quotas, { region: opts.region });

  const assumed = new Set(demands.filter((d) => d.regionAssumed).map((d) => d.region));
  for (const region of assumed) {
    const why = opts.region ? 'from --region' : `the default (no literal provider region in the input and no --region)`;
    opts.warn(`quotas: regional quotas for stacks without a literal provider region are counted in ${region}, ${why}`);
  }
  const uncertain = [...new Set(demands.flatMap((d) => d.uncertain))];
  if (uncertain.length) {
    opts.warn(`quotas: ${uncertain.length} counted block(s) have a count/for_each Gantry cannot evaluate, each counted as 1 (planned usage may be higher): ${uncertain.slice(0, 5).join('; ')}${uncertain.length > 5 ? '; …' : ''}`);
  }
  const accounts = new Set(demands.map((d) => d.accountId ?? ''));
  if (opts.live && accounts.size > 1) {
    opts.warn(`quotas: the inputs name ${accounts.size} accounts; live look-ups describe only the account of the current credentials`);
  }

  if (!opts.live) {
    // Offline rows never await anything: built in one synchronous pass, no promise per row.
    const notes = new Map<Demand['quota'], string>();
    return sortRows(demands.map((d) => offlineRow(d, warnAt, notes)));
  }
  const { LiveLookup: Live, MAX_CONCURRENCY, mapLimit } = require('./live') as typeof import('./live');
  const live = new Live(opts.clients);
  const rows = await mapLimit(demands, MAX_CONCURRENCY, (d) => row(d, warnAt, live, opts.warn));
  return sortRows(rows);
}

const OFFLINE_NOTE = 'current usage is only looked up with --live';

/**
 * A row from the snapshot alone. Its usage note depends only on the quota (and on instances that
 * already exist, which offline plans rarely have), so rows of one quota share it.
 */
function offlineRow(d: Demand, warnAt: number, notes: Map<Demand['quota'], string>): QuotaRow {
  const q = d.quota;
  const limit = defaultIn(q, d.region);
  const v = verdict(d.planned, null, limit, warnAt);
  let note: string;
  if (!(limit > 0) && v.status === 'exceeded') note = usageNoteOf(d, `${OFFLINE_NOTE}${ZERO_LIMIT_NOTE}`, 'snapshot');
  else if (d.existing) note = usageNoteOf(d, OFFLINE_NOTE, 'snapshot');
  else {
    const shared = notes.get(q);
    if (shared === undefined) notes.set(q, (note = usageNoteOf(d, OFFLINE_NOTE, 'snapshot')));
    else note = shared;
  }
  return rowOf(d, limit, 'snapshot', null, q.source, q.checked, v, note, undefined);
}

const ZERO_LIMIT_NOTE = '; the limit is 0, so utilization is the usage itself';

/** The note a row carries: how usage was found, the snapshot's caveat, and what was counted. */
function usageNoteOf(d: Demand, usageNote: string, limitSource: QuotaRow['limitSource']): string {
  const q = d.quota;
  return `${usageNote}${limitSource === 'snapshot' && q.note ? `. ${q.note}` : ''}. Counted: ${q.basis}${d.existing ? ` (${d.existing} planned instance(s) already exist and are not added)` : ''}`;
}

function rowOf(
  d: Demand,
  limit: number,
  limitSource: QuotaRow['limitSource'],
  currentUsage: number | null,
  source: string,
  asOf: string,
  v: ReturnType<typeof verdict>,
  usageNote: string,
  usageSource: QuotaRow['usageSource'],
): QuotaRow {
  const q = d.quota;
  const out: QuotaRow = {
    service: q.serviceCode,
    quotaCode: q.quotaCode,
    quotaName: q.quotaName,
    region: d.region,
    limit,
    limitSource,
    currentUsage,
    planned: d.planned,
    utilization: v.utilization,
    status: v.status,
    scope: q.scope,
    impact: q.impact,
    source,
    asOf,
    usageNote,
    // The demand's own list (its entries have the contract's fields, in its order): the demand is
    // not used once its row is made, so no copy.
    resources: d.resources,
  };
  if (usageSource) out.usageSource = usageSource;
  if (d.accountId) out.accountId = d.accountId;
  if (d.group) out.group = d.group;
  return out;
}

/** A row with live look-ups: the applied quota and current usage, falling back to the snapshot with a warning. */
async function row(d: Demand, warnAt: number, live: LiveLookup, warn: (m: string) => void): Promise<QuotaRow> {
  const q = d.quota;
  const snapshotLimit = defaultIn(q, d.region);
  let limit = snapshotLimit;
  let limitSource: QuotaRow['limitSource'] = 'snapshot';
  let source = q.source;
  let asOf = q.checked;
  const where = `${q.serviceCode}/${q.quotaCode} (${q.quotaName}${d.group ? `, ${d.group}` : ''}) in ${d.region}`;

  const applied = await live.quota(d.apiRegion, q.serviceCode, q.quotaCode);
  let metric = q.usageMetric;
  if (applied.ok) {
    limit = applied.value.value;
    limitSource = 'live';
    asOf = live.now().toISOString().slice(0, 10);
    source =
      applied.value.origin === 'applied'
        ? `Service Quotas GetServiceQuota (${d.apiRegion})`
        : `Service Quotas GetAWSDefaultServiceQuota (${d.apiRegion}; no applied value for this account)`;
    metric = applied.value.usageMetric ?? metric;
  } else {
    warn(`quotas: ${applied.error}; using the snapshot default ${snapshotLimit} (${q.source}, checked ${q.checked}) for ${where}`);
  }
  const usage = await currentUsageOf(d, metric, live);
  let usageNote = usage.note;
  if (usage.failed) warn(`quotas: ${usage.note}; current usage of ${where} is unknown`);

  const v = verdict(d.planned, usage.value, limit, warnAt);
  if (!(limit > 0) && v.status === 'exceeded') usageNote += ZERO_LIMIT_NOTE;
  return rowOf(d, limit, limitSource, usage.value, source, asOf, v, usageNoteOf(d, usageNote, limitSource), usage.source);
}

type Usage = { value: number | null; note: string; failed?: boolean; source?: QuotaRow['usageSource'] };

/**
 * Current usage, first answer wins: IAM GetAccountSummary (IAM quotas); the CloudWatch usage metric
 * (account-level quotas where Service Quotas or the snapshot names one); the service's list calls
 * (usage.ts) when there is no metric, its look-up failed or it has no datapoint. Null when none answers.
 */
async function currentUsageOf(d: Demand, metric: Demand['quota']['usageMetric'], live: LiveLookup): Promise<Usage> {
  const q = d.quota;
  if (q.usage.startsWith('iam-summary:')) {
    const key = q.usage.slice('iam-summary:'.length);
    const r = await live.iamSummary(key);
    return r.ok
      ? { value: r.value, note: `current usage from IAM GetAccountSummary ${key}`, source: 'iam-summary' }
      : { value: null, note: r.error, failed: true };
  }
  // A usage metric counts the whole account in the region, never one parent.
  let metricMiss: Usage | undefined;
  if (metric && !d.group) {
    const r = await live.metric(d.apiRegion, metric);
    if (r.ok && r.value !== null) {
      return { value: r.value, note: `current usage from CloudWatch ${metric.namespace} ${metric.name} (${metric.statistic})`, source: 'cloudwatch' };
    }
    metricMiss = r.ok ? { value: null, note: r.note ?? 'no datapoints' } : { value: null, note: r.error, failed: true };
  }
  const { listCounterFor } = require('./usage') as typeof import('./usage');
  const counter = listCounterFor(q.serviceCode, q.quotaCode);
  if (!counter) {
    if (metricMiss) return metricMiss;
    if (d.group) return { value: null, note: `current usage per ${q.groupBy?.label ?? 'parent'} is not looked up (no per-parent usage metric or list call)` };
    return { value: null, note: `AWS names no usage metric for this quota and no list call counts it, so current usage is unknown` };
  }
  const before = metricMiss ? ` (${metricMiss.note})` : '';
  if (d.group && d.groupValue === undefined) {
    return { value: null, note: `the ${counter.parent ?? 'parent'} name is not known before apply, so ${counter.call} cannot count its current usage` };
  }
  const r = await live.listCount(counter, d.apiRegion, d.group ? d.groupValue : undefined);
  if (!r.ok) return { value: null, note: `${r.error}${before}`, failed: true };
  const extra = r.value.note ? `; ${r.value.note}` : '';
  return { value: r.value.count, note: `current usage counted with ${counter.call}${extra}${before}`, source: 'list' };
}

export { DEFAULT_REGION };
export { DEFAULT_WARN_AT } from './verdict';
