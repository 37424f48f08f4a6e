/** The verdict on one quota: utilization and status. */
import type { QuotaRow } from '../report/contract';

export const DEFAULT_WARN_AT = 0.8;

export interface Verdict {
  utilization: number;
  status: QuotaRow['status'];
}

/**
 * utilization = ((current ?? 0) + planned) / limit; `exceeded` above 1.0, `warning` at or above
 * `warnAt`, `ok` below. A limit of 0 (CodeBuild's concurrency can be 0 on a new account) with any
 * usage is exceeded; utilization is then reported as the usage itself (JSON has no infinity).
 */
export function verdict(planned: number, current: number | null, limit: number, warnAt: number = DEFAULT_WARN_AT): Verdict {
  const used = (current ?? 0) + planned;
  if (!(limit > 0)) return used > 0 ? { utilization: used, status: 'exceeded' } : { utilization: 0, status: 'ok' };
  const raw = used / limit;
  const status: QuotaRow['status'] = raw > 1 ? 'exceeded' : raw >= warnAt ? 'warning' : 'ok';
  return { utilization: Math.round(raw * 10000) / 10000, status };
}

/** Rows sorted for display: highest utilization first, then service, quota, region, group. */
export function sortRows<T extends QuotaRow>(rows: T[]): T[] {
  return rows.sort(
    (a, b) =>
      b.utilization - a.utilization ||
      collate(a.service, b.service) ||
      collate(a.quotaName, b.quotaName) ||
      collate(a.region, b.region) ||
      collate(a.group ?? '', b.group ?? ''),
  );
}

/** One collator for every comparison: the same order as `localeCompare` without its per-call setup. */
const collator = new Intl.Collator();

/** localeCompare, skipped for equal strings (its answer is then 0): most rows share service, quota and region. */
function collate(a: string, b: string): number {
  return a === b ? 0 : collator.compare(a, b);
}
