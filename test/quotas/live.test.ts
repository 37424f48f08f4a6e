import {
  AccessDeniedException,
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  NoSuchResourceException,
  TooManyRequestsException,
} from '@aws-sdk/client-service-quotas';
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { evaluateQuotas } from '../../auditor/quotas';
import { mapLimit, withRetry } from '../../auditor/quotas/live';
import type { QuotaRow } from '../../auditor/report/contract';
import { modelOf } from '../support/model';
import { codepipeline, cw, iam, listCalls, resetAwsMocks, sq } from './aws-mocks';

const NOW = new Date('2026-03-01T12:00:00Z');

beforeEach(resetAwsMocks);

/** A Service Quotas answer shaped as the API returns it. */
function quota(serviceCode: string, quotaCode: string, name: string, value: number, usage?: { name: string; dims: Record<string, string> }) {
  return {
    Quota: {
      ServiceCode: serviceCode,
      ServiceName: serviceCode,
      QuotaArn: `arn:aws:servicequotas:eu-west-1:123456789012:${serviceCode}/${quotaCode}`,
      QuotaCode: quotaCode,
      QuotaName: name,
      Value: value,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      ...(usage
        ? { UsageMetric: { MetricNamespace: 'AWS/Usage', MetricName: usage.name, MetricDimensions: usage.dims, MetricStatisticRecommendation: 'Maximum' } }
        : {}),
    },
  };
}

const PIPELINE_DIMS = { Class: 'None', Resource: 'Pipelines', Service: 'CodePipeline', Type: 'Resource' };
const pipelines = (n: number) => modelOf({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_codepipeline: { p: { count: n, name: 'p', role_arn: 'x' } } } });
const roles = (n: number) => modelOf({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_iam_role: { r: { count: n, assume_role_policy: '{}' } } } });

async function live(model: ReturnType<typeof modelOf>, sleeps: number[] = []) {
  const warnings: string[] = [];
  const rows = await evaluateQuotas(model, {
    live: true,
    warn: (m) => warnings.push(m),
    clients: { sleep: async (ms) => void sleeps.push(ms), now: () => NOW },
  });
  return { rows, warnings };
}
const row = (rows: QuotaRow[], code: string) => rows.find((r) => r.quotaCode === code)!;

describe('live quotas', () => {
  it('uses the applied value and the usage metric Service Quotas names, adding planned to current', async () => {
    sq.on(GetServiceQuotaCommand, { ServiceCode: 'codepipeline', QuotaCode: 'L-78D200AD' }).resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1500, { name: 'ResourceCount', dims: PIPELINE_DIMS }));
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'usage', Label: 'ResourceCount', StatusCode: 'Complete', Timestamps: [new Date('2026-03-01T11:55:00Z'), new Date('2026-03-01T11:00:00Z')], Values: [1200, 1100] }],
      Messages: [],
    });
    const { rows, warnings } = await live(pipelines(100));
    expect(row(rows, 'L-78D200AD')).toMatchObject({ limit: 1500, limitSource: 'live', currentUsage: 1200, usageSource: 'cloudwatch', planned: 100, utilization: 0.8667, status: 'warning', asOf: '2026-03-01' });
    expect(listCalls()).toBe(0); // the metric answered: no list call
    expect(row(rows, 'L-78D200AD').source).toMatch(/GetServiceQuota \(eu-west-1\)/);
    expect(warnings).toEqual([]);
    const call = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(call.MetricDataQueries?.[0].MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/Usage', MetricName: 'ResourceCount', Dimensions: [
        { Name: 'Class', Value: 'None' }, { Name: 'Resource', Value: 'Pipelines' }, { Name: 'Service', Value: 'CodePipeline' }, { Name: 'Type', Value: 'Resource' },
      ] },
      Stat: 'Maximum',
    });
    expect(call.EndTime).toEqual(NOW);
  });

  it('follows GetMetricData pagination and takes the latest datapoint', async () => {
    sq.on(GetServiceQuotaCommand).resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1000, { name: 'ResourceCount', dims: PIPELINE_DIMS }));
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'usage', Timestamps: [new Date('2026-03-01T10:00:00Z')], Values: [7] }], NextToken: 'page-2' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'usage', Timestamps: [new Date('2026-03-01T11:50:00Z')], Values: [9] }] });
    const { rows } = await live(pipelines(1));
    expect(row(rows, 'L-78D200AD').currentUsage).toBe(9);
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.NextToken).toBe('page-2');
  });

  it('no datapoints → counted with the list call instead, and the row says why', async () => {
    sq.on(GetServiceQuotaCommand).resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1000, { name: 'ResourceCount', dims: PIPELINE_DIMS }));
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'usage', Timestamps: [], Values: [] }] });
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [{ name: 'a', version: 1, pipelineType: 'V2', created: NOW, updated: NOW }] });
    const { rows, warnings } = await live(pipelines(1));
    expect(row(rows, 'L-78D200AD')).toMatchObject({ currentUsage: 1, usageSource: 'list', limitSource: 'live', planned: 1 });
    expect(row(rows, 'L-78D200AD').usageNote).toMatch(/CodePipeline ListPipelines.*no datapoints/);
    expect(warnings).toEqual([]);
  });

  it('no datapoints and the list call fails → current usage unknown (null) with a warning naming the call', async () => {
    sq.on(GetServiceQuotaCommand).resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1000, { name: 'ResourceCount', dims: PIPELINE_DIMS }));
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'usage', Timestamps: [], Values: [] }] });
    codepipeline.on(ListPipelinesCommand).rejects(Object.assign(new Error('not authorized to perform: codepipeline:ListPipelines'), { name: 'AccessDeniedException' }));
    const { rows, warnings } = await live(pipelines(1));
    expect(row(rows, 'L-78D200AD')).toMatchObject({ currentUsage: null, limitSource: 'live' });
    expect(row(rows, 'L-78D200AD').usageSource).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/CodePipeline ListPipelines in eu-west-1: AccessDeniedException/);
  });

  it('retries throttling with growing backoff, then succeeds', async () => {
    sq.on(GetServiceQuotaCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1000));
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [] });
    const sleeps: number[] = [];
    const { rows, warnings } = await live(pipelines(1), sleeps);
    expect(row(rows, 'L-78D200AD')).toMatchObject({ limit: 1000, limitSource: 'live' });
    expect(sq.commandCalls(GetServiceQuotaCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]);
    expect(warnings).toEqual([]);
  });

  it('gives up after bounded retries and falls back to the snapshot with a warning', async () => {
    sq.on(GetServiceQuotaCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const { rows, warnings } = await live(pipelines(1200));
    expect(sq.commandCalls(GetServiceQuotaCommand)).toHaveLength(5);
    expect(row(rows, 'L-78D200AD')).toMatchObject({ limit: 1000, limitSource: 'snapshot', status: 'exceeded' });
    expect(warnings.join('\n')).toMatch(/codepipeline\/L-78D200AD.*TooManyRequestsException/);
  });

  it('AccessDenied → snapshot limit, limitSource snapshot, currentUsage null, and a warning naming what failed', async () => {
    sq.on(GetServiceQuotaCommand).rejects(new AccessDeniedException({ message: 'User is not authorized to perform: servicequotas:GetServiceQuota', $metadata: { httpStatusCode: 403 } }));
    codepipeline.on(ListPipelinesCommand).rejects(Object.assign(new Error('User is not authorized to perform: codepipeline:ListPipelines'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { rows, warnings } = await live(pipelines(10));
    expect(row(rows, 'L-78D200AD')).toMatchObject({ limit: 1000, limitSource: 'snapshot', currentUsage: null, planned: 10 });
    expect(row(rows, 'L-78D200AD').source).toMatch(/^https:\/\/docs\.aws\.amazon\.com/);
    expect(warnings.some((w) => /Service Quotas codepipeline\/L-78D200AD in eu-west-1: AccessDeniedException/.test(w) && /snapshot default 1000/.test(w))).toBe(true);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0); // no usage metric known without the live quota
    expect(warnings.some((w) => /CodePipeline ListPipelines in eu-west-1: AccessDeniedException/.test(w))).toBe(true);
  });

  it('NoSuchResourceException (no applied value) → AWS default from GetAWSDefaultServiceQuota', async () => {
    sq.on(GetServiceQuotaCommand).rejects(new NoSuchResourceException({ message: 'The request failed because the specified resource does not exist.', $metadata: { httpStatusCode: 400 } }));
    sq.on(GetAWSDefaultServiceQuotaCommand).resolves(quota('codepipeline', 'L-78D200AD', 'Total pipelines', 1000));
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [] });
    const { rows, warnings } = await live(pipelines(1));
    expect(row(rows, 'L-78D200AD')).toMatchObject({ limit: 1000, limitSource: 'live' });
    expect(row(rows, 'L-78D200AD').source).toMatch(/GetAWSDefaultServiceQuota/);
    expect(sq.commandCalls(GetAWSDefaultServiceQuotaCommand)[0].args[0].input).toEqual({ ServiceCode: 'codepipeline', QuotaCode: 'L-78D200AD' });
    expect(warnings).toEqual([]);
  });

  it('IAM usage from GetAccountSummary; global quotas are asked in us-east-1', async () => {
    sq.on(GetServiceQuotaCommand, { ServiceCode: 'iam', QuotaCode: 'L-FE177D64' }).resolves(quota('iam', 'L-FE177D64', 'Roles per account', 1000));
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: { Roles: 950, RolesQuota: 1000, Policies: 12, PoliciesQuota: 1500, AttachedPoliciesPerRoleQuota: 10, AssumeRolePolicySizeQuota: 2048, RolePolicySizeQuota: 10240, PolicySizeQuota: 6144 },
    });
    const { rows, warnings } = await live(roles(60));
    expect(row(rows, 'L-FE177D64')).toMatchObject({ region: 'global', limit: 1000, limitSource: 'live', currentUsage: 950, planned: 60, status: 'exceeded' });
    expect(row(rows, 'L-FE177D64').usageNote).toMatch(/GetAccountSummary Roles/);
    expect(warnings).toEqual([]);
    expect(await sq.commandCalls(GetServiceQuotaCommand)[0].thisValue.config.region()).toBe('us-east-1');
  });

  it('IAM summary failure → usage null with a warning; the live limit is kept', async () => {
    sq.on(GetServiceQuotaCommand).resolves(quota('iam', 'L-FE177D64', 'Roles per account', 1000));
    iam.on(GetAccountSummaryCommand).rejects(Object.assign(new Error('User: x is not authorized to perform: iam:GetAccountSummary'), { name: 'AccessDenied' }));
    const { rows, warnings } = await live(roles(1));
    expect(row(rows, 'L-FE177D64')).toMatchObject({ limitSource: 'live', currentUsage: null });
    expect(warnings.join('\n')).toMatch(/IAM GetAccountSummary: AccessDenied/);
  });

  it('without credentials every look-up falls back, and the reason is given once per quota', async () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    sq.on(GetServiceQuotaCommand).rejects(noCreds);
    iam.on(GetAccountSummaryCommand).rejects(noCreds);
    const resource: Record<string, unknown> = {};
    for (const t of ['aws_codepipeline', 'aws_dynamodb_table', 'aws_sns_topic', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_s3_bucket', 'aws_iam_role', 'aws_iam_policy', 'aws_codedeploy_app']) resource[t] = { x: {} };
    const { rows, warnings } = await live(modelOf({ provider: { aws: [{ region: 'eu-west-1' }] }, resource }));
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.limitSource === 'snapshot' && r.currentUsage === null)).toBe(true);
    // the look-ups already in flight fail; once one has, the rest are not sent
    expect(sq.commandCalls(GetServiceQuotaCommand).length).toBeLessThanOrEqual(4);
    expect(warnings.filter((w) => /no AWS credentials/.test(w)).length).toBeGreaterThanOrEqual(5);
  });
});

describe('live helpers', () => {
  it('withRetry does not retry other errors', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new AccessDeniedException({ message: 'no', $metadata: {} }); }, async () => undefined)).rejects.toThrow('no');
    expect(calls).toBe(1);
  });

  it('mapLimit keeps at most 4 look-ups in flight and preserves order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit(Array.from({ length: 20 }, (_, i) => i), 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(4);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('evaluateQuotas never has more than 4 Service Quotas calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    sq.on(GetServiceQuotaCommand).callsFake(async (input: { ServiceCode: string; QuotaCode: string }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return quota(input.ServiceCode, input.QuotaCode, 'q', 100000);
    });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 1, Policies: 1 } });
    const resource: Record<string, unknown> = {};
    for (const t of ['aws_codepipeline', 'aws_dynamodb_table', 'aws_sns_topic', 'aws_sqs_queue', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_s3_bucket', 'aws_iam_role', 'aws_iam_policy', 'aws_codedeploy_app']) resource[t] = { x: {} };
    const { rows } = await live(modelOf({ provider: { aws: [{ region: 'eu-west-1' }] }, resource }));
    expect(rows.length).toBeGreaterThanOrEqual(9);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
