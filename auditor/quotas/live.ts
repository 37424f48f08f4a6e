/**
 * Live look-ups for quotas (`--live`): the applied quota value from Service Quotas
 * (GetServiceQuota, falling back to GetAWSDefaultServiceQuota when the account has no applied
 * value), and current usage from IAM GetAccountSummary, the quota's CloudWatch usage metric
 * (AWS/Usage, with the dimensions Service Quotas reports in UsageMetric), or the service's list
 * calls (auditor/quotas/usage.ts).
 *
 * Every call is retried on throttling with exponential backoff, at most MAX_CONCURRENCY calls are
 * in flight across the whole session, and a failure is returned as an error message (the caller
 * falls back to the snapshot) — never thrown, never turned into a number.
 */
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
  type ServiceQuota,
} from '@aws-sdk/client-service-quotas';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { MAKE_LIST_CLIENT, type ListClientKind, type ListClients, type ListClientTypes, type ListCount, type ListCounter, type ListEnv } from './usage';

export const MAX_CONCURRENCY = 4;
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 200;

/** Clients and clock, injectable for tests. Factories are called once per region. */
export interface QuotaClients extends ListClients {
  serviceQuotas?: (region: string) => ServiceQuotasClient;
  iam?: () => IAMClient;
  cloudWatch?: (region: string) => CloudWatchClient;
  /** Backoff sleep (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export type Outcome<T> = { ok: true; value: T; note?: string } | { ok: false; error: string };

export interface LiveQuota {
  value: number;
  /** `applied` (GetServiceQuota) or `aws-default` (GetAWSDefaultServiceQuota after NoSuchResourceException). */
  origin: 'applied' | 'aws-default';
  usageMetric?: { namespace: string; name: string; dimensions: Record<string, string>; statistic: string };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

interface AwsError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function isThrottling(err: unknown): boolean {
  const e = err as AwsError;
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

function isCredentialsError(err: unknown): boolean {
  const e = err as AwsError;
  return e?.name === 'CredentialsProviderError' || /could not load credentials|unable to locate credentials/i.test(e?.message ?? '');
}

export function describeError(err: unknown): string {
  const e = err as AwsError;
  const name = e?.name && e.name !== 'Error' ? e.name : undefined;
  const msg = (e?.message ?? String(err)).split('\n')[0];
  return name ? `${name}: ${msg}` : msg;
}

/** Run `fn`, retrying throttling errors with exponential backoff (and jitter). */
export async function withRetry<T>(fn: () => Promise<T>, sleep: (ms: number) => Promise<void>, attempts = MAX_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err) || attempt >= attempts) throw err;
      const delay = BASE_DELAY_MS * 2 ** (attempt - 1);
      await sleep(delay + Math.floor(Math.random() * (delay / 2)));
    }
  }
}

/** Map with at most `limit` promises in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A counting semaphore: `run` waits for one of `limit` slots. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.used >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    }
  }
}

/**
 * One live session: caches clients and answers, so a quota looked up for several groups, or
 * the IAM summary needed by several quotas, is asked for once. After a credentials error, every
 * further look-up fails at once with the same reason.
 */
export class LiveLookup implements ListEnv {
  private readonly sq = new Map<string, ServiceQuotasClient>();
  private readonly listClients = new Map<string, unknown>();
  /** Every AWS call of the session holds one of these while in flight (not while backing off). */
  private readonly slots = new Slots(MAX_CONCURRENCY);
  private readonly cw = new Map<string, CloudWatchClient>();
  private iamClient?: IAMClient;
  private readonly memo = new Map<string, Promise<Outcome<unknown>>>();
  private noCredentials?: string;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;

  constructor(private readonly clients: QuotaClients = {}) {
    this.sleep = clients.sleep ?? realSleep;
    this.now = clients.now ?? (() => new Date());
  }

  private serviceQuotas(region: string): ServiceQuotasClient {
    let c = this.sq.get(region);
    if (!c) {
      c = this.clients.serviceQuotas?.(region) ?? new ServiceQuotasClient({ region, maxAttempts: 1 });
      this.sq.set(region, c);
    }
    return c;
  }

  private cloudWatch(region: string): CloudWatchClient {
    let c = this.cw.get(region);
    if (!c) {
      c = this.clients.cloudWatch?.(region) ?? new CloudWatchClient({ region, maxAttempts: 1 });
      this.cw.set(region, c);
    }
    return c;
  }

  /** A list-call client for a region (usage.ts), made once. */
  client<K extends ListClientKind>(kind: K, region: string): ListClientTypes[K] {
    const key = `${kind}|${region}`;
    let c = this.listClients.get(key) as ListClientTypes[K] | undefined;
    if (!c) {
      const factory = (this.clients[kind] ?? MAKE_LIST_CLIENT[kind]) as (region: string) => ListClientTypes[K];
      c = factory(region);
      this.listClients.set(key, c);
    }
    return c;
  }

  /** One AWS call: retried on throttling, within the session's concurrency bound. */
  call<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(() => this.slots.run(fn), this.sleep);
  }

  private iam(): IAMClient {
    this.iamClient ??= this.clients.iam?.() ?? new IAMClient({ region: 'us-east-1', maxAttempts: 1 });
    return this.iamClient;
  }

  private once<T>(key: string, what: string, fn: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    let p = this.memo.get(key) as Promise<Outcome<T>> | undefined;
    if (!p) {
      p = (async (): Promise<Outcome<T>> => {
        if (this.noCredentials) return { ok: false, error: `${what}: ${this.noCredentials}` };
        try {
          return await fn();
        } catch (err) {
          if (isCredentialsError(err)) this.noCredentials = `no AWS credentials (${describeError(err)})`;
          return { ok: false, error: `${what}: ${describeError(err)}` };
        }
      })();
      this.memo.set(key, p);
    }
    return p;
  }

  /** The applied quota value, or AWS's default when the account has none applied. */
  quota(region: string, serviceCode: string, quotaCode: string): Promise<Outcome<LiveQuota>> {
    const what = `Service Quotas ${serviceCode}/${quotaCode} in ${region}`;
    return this.once(`sq|${region}|${serviceCode}|${quotaCode}`, what, async () => {
      const client = this.serviceQuotas(region);
      const params = { ServiceCode: serviceCode, QuotaCode: quotaCode };
      let quota: ServiceQuota | undefined;
      let origin: LiveQuota['origin'] = 'applied';
      try {
        quota = (await this.call(() => client.send(new GetServiceQuotaCommand(params)))).Quota;
      } catch (err) {
        if ((err as AwsError)?.name !== 'NoSuchResourceException') throw err;
        origin = 'aws-default';
        quota = (await this.call(() => client.send(new GetAWSDefaultServiceQuotaCommand(params)))).Quota;
      }
      if (typeof quota?.Value !== 'number' || !Number.isFinite(quota.Value)) {
        return { ok: false, error: `${what}: the response has no quota value` };
      }
      const m = quota.UsageMetric;
      const usageMetric =
        m?.MetricNamespace && m.MetricName
          ? { namespace: m.MetricNamespace, name: m.MetricName, dimensions: { ...(m.MetricDimensions ?? {}) }, statistic: m.MetricStatisticRecommendation ?? 'Maximum' }
          : undefined;
      return { ok: true, value: { value: quota.Value, origin, usageMetric } };
    });
  }

  /** One value of IAM GetAccountSummary's SummaryMap (Roles, Policies, …). */
  iamSummary(key: string): Promise<Outcome<number>> {
    return this.once(`iam|${key}`, `IAM GetAccountSummary ${key}`, async () => {
      const summary = await this.once<Record<string, number>>('iam-summary', 'IAM GetAccountSummary', async () => {
        const out = await this.call(() => this.iam().send(new GetAccountSummaryCommand({})));
        return { ok: true, value: { ...(out.SummaryMap ?? {}) } as Record<string, number> };
      });
      if (!summary.ok) return summary;
      const v = summary.value[key];
      return typeof v === 'number' ? { ok: true, value: v } : { ok: false, error: `IAM GetAccountSummary: SummaryMap has no ${key}` };
    });
  }

  /**
   * The latest value of a usage metric over the last `hours` hours (GetMetricData, paginated), or
   * ok with value null when CloudWatch has no datapoint (nothing in use is not reported as zero).
   */
  metric(region: string, metric: NonNullable<LiveQuota['usageMetric']>, hours = 3): Promise<Outcome<number | null>> {
    const dims = Object.entries(metric.dimensions).sort(([a], [b]) => a.localeCompare(b));
    const key = `cw|${region}|${metric.namespace}|${metric.name}|${metric.statistic}|${JSON.stringify(dims)}`;
    const what = `CloudWatch ${metric.namespace} ${metric.name} {${dims.map(([k, v]) => `${k}=${v}`).join(', ')}} in ${region}`;
    return this.once(key, what, async () => {
      const end = this.now();
      const start = new Date(end.getTime() - hours * 3600_000);
      const query: MetricDataQuery = {
        Id: 'usage',
        MetricStat: {
          Metric: { Namespace: metric.namespace, MetricName: metric.name, Dimensions: dims.map(([Name, Value]) => ({ Name, Value })) },
          Period: 300,
          Stat: metric.statistic,
        },
        ReturnData: true,
      };
      const points: { t: number; v: number }[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await this.call(() =>
          this.cloudWatch(region).send(new GetMetricDataCommand({ MetricDataQueries: [query], StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', NextToken: token })),
        );
        for (const r of out.MetricDataResults ?? []) {
          const ts = r.Timestamps ?? [];
          const vs = r.Values ?? [];
          for (let i = 0; i < Math.min(ts.length, vs.length); i++) points.push({ t: new Date(ts[i]).getTime(), v: vs[i] });
        }
        token = out.NextToken;
        if (++pages > 100) throw new Error('GetMetricData returned more than 100 pages');
      } while (token);
      if (points.length === 0) return { ok: true, value: null, note: `${what}: no datapoints in the last ${hours} h` };
      points.sort((a, b) => b.t - a.t);
      return { ok: true, value: points[0].v };
    });
  }

  /** Current usage by a list counter (usage.ts) in a region, for one parent when the quota is per parent. */
  listCount(counter: ListCounter, region: string, parent?: string): Promise<Outcome<ListCount>> {
    const what = `${counter.call}${parent !== undefined ? ` (${counter.parent ?? 'parent'} ${parent})` : ''} in ${region}`;
    return this.once(`list|${counter.call}|${region}|${parent ?? ''}`, what, async () => ({ ok: true, value: await counter.count(this, region, parent) }));
  }
}
