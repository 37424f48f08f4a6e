/**
 * Live current usage from the services' list calls (auditor/quotas/usage.ts), against
 * aws-sdk-client-mock stubs answering with the APIs' response shapes.
 */
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListRepositoriesCommand } from '@aws-sdk/client-codecommit';
import { ListProjectsCommand } from '@aws-sdk/client-codebuild';
import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { ListApplicationsCommand, ListDeploymentGroupsCommand } from '@aws-sdk/client-codedeploy';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { evaluateQuotas, type QuotaClients } from '../../auditor/quotas';
import { MAX_LIST_PAGES } from '../../auditor/quotas/usage';
import type { QuotaRow } from '../../auditor/report/contract';
import { modelOf } from '../support/model';
import { codebuild, codecommit, codedeploy, codepipeline, cw, dynamodb, eventbridge, kms, LIST_MOCKS, logs, resetAwsMocks, s3, sns, sq } from './aws-mocks';

const NOW = new Date('2026-03-01T12:00:00Z');
const ACCOUNT = '123456789012';

beforeEach(() => {
  resetAwsMocks();
  // Service Quotas answers with the AWS default and no usage metric unless a test says otherwise.
  sq.on(GetServiceQuotaCommand).callsFake(async (input: { ServiceCode: string; QuotaCode: string }) => ({
    Quota: { ServiceCode: input.ServiceCode, QuotaCode: input.QuotaCode, QuotaName: 'q', Value: LIMITS[input.QuotaCode] ?? 1000, Unit: 'None', Adjustable: true, GlobalQuota: false },
  }));
});

const LIMITS: Record<string, number> = { 'L-78D200AD': 1000, 'L-DC2B2D3D': 10000, 'L-C7B9AAAB': 1000000, 'L-244521F2': 300, 'L-D9088B77': 1000 };

const denied = (action: string) =>
  Object.assign(new Error(`User: arn:aws:iam::${ACCOUNT}:user/x is not authorized to perform: ${action}`), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });

const model = (resource: Record<string, unknown>, region = 'eu-west-1') => modelOf({ provider: { aws: [{ region }] }, resource });

async function live(m: ReturnType<typeof modelOf>, clients: QuotaClients = {}) {
  const warnings: string[] = [];
  const sleeps: number[] = [];
  const rows = await evaluateQuotas(m, { live: true, warn: (w) => warnings.push(w), clients: { sleep: async (ms) => void sleeps.push(ms), now: () => NOW, ...clients } });
  return { rows, warnings, sleeps };
}
const rowOf = (rows: QuotaRow[], code: string, group?: string) => {
  const found = rows.filter((r) => r.quotaCode === code && (group === undefined || r.group === group));
  expect(found).toHaveLength(1);
  return found[0];
};

const pipeline = (name: string) => ({ name, version: 1, pipelineType: 'V2' as const, created: NOW, updated: NOW });

describe('current usage from list calls', () => {
  it('995 existing pipelines (two ListPipelines pages) + 10 planned → exceeded at the live limit of 1,000', async () => {
    codepipeline
      .on(ListPipelinesCommand)
      .resolvesOnce({ pipelines: Array.from({ length: 600 }, (_, i) => pipeline(`p${i}`)), nextToken: 'tok-2' })
      .resolvesOnce({ pipelines: Array.from({ length: 395 }, (_, i) => pipeline(`q${i}`)) });
    const { rows, warnings } = await live(model({ aws_codepipeline: { p: { count: 10, name: 'p', role_arn: 'x' } } }));
    const r = rowOf(rows, 'L-78D200AD');
    expect(r).toMatchObject({ currentUsage: 995, planned: 10, limit: 1000, limitSource: 'live', usageSource: 'list', status: 'exceeded', utilization: 1.005 });
    expect(r.usageNote).toMatch(/CodePipeline ListPipelines/);
    const calls = codepipeline.commandCalls(ListPipelinesCommand);
    expect(calls.map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'tok-2']);
    expect(warnings).toEqual([]);
  });

  it('the same account with 985 pipelines is a warning, not exceeded (current + planned, not either alone)', async () => {
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: Array.from({ length: 985 }, (_, i) => pipeline(`p${i}`)) });
    const { rows } = await live(model({ aws_codepipeline: { p: { count: 10, name: 'p', role_arn: 'x' } } }));
    expect(rowOf(rows, 'L-78D200AD')).toMatchObject({ currentUsage: 985, status: 'warning', utilization: 0.995 });
  });

  it('throttling is retried with growing backoff, then the count completes', async () => {
    codecommit
      .on(ListRepositoriesCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce({ repositories: [{ repositoryName: 'a', repositoryId: 'id-a' }, { repositoryName: 'b', repositoryId: 'id-b' }], nextToken: 'n2' })
      .rejectsOnce(throttled())
      .resolvesOnce({ repositories: [{ repositoryName: 'c', repositoryId: 'id-c' }] });
    const { rows, warnings, sleeps } = await live(model({ aws_codecommit_repository: { r: { repository_name: 'r' } } }));
    expect(rowOf(rows, 'L-81790602')).toMatchObject({ currentUsage: 3, usageSource: 'list', planned: 1 });
    expect(codecommit.commandCalls(ListRepositoriesCommand)).toHaveLength(5);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]);
    expect(warnings).toEqual([]);
  });

  it('AccessDenied → currentUsage null, no usageSource, and a warning naming the call; the verdict uses planned only', async () => {
    codebuild.on(ListProjectsCommand).rejects(denied('codebuild:ListProjects'));
    const { rows, warnings } = await live(model({ aws_codebuild_project: { b: { count: 3, name: 'b', service_role: 'x', artifacts: [{ type: 'NO_ARTIFACTS' }], environment: [{ compute_type: 'BUILD_GENERAL1_SMALL', image: 'i', type: 'LINUX_CONTAINER' }], source: [{ type: 'NO_SOURCE' }] } } }));
    const r = rowOf(rows, 'L-ACCF6C0D');
    expect(r.currentUsage).toBeNull();
    expect(r.usageSource).toBeUndefined();
    expect(r.planned).toBe(3);
    expect(warnings.filter((w) => /CodeBuild ListProjects in eu-west-1: AccessDeniedException: .*codebuild:ListProjects/.test(w))).toHaveLength(1);
    expect(codebuild.commandCalls(ListProjectsCommand)).toHaveLength(1); // not retried
    // concurrent builds are running work: no list call, no warning, null with the reason
    const small = rowOf(rows, 'L-9D07B6EF');
    expect(small.currentUsage).toBeNull();
    expect(small.usageNote).toMatch(/no list call counts it/);
  });

  it('a response without the list is an error, never a zero', async () => {
    dynamodb.on(ListTablesCommand).resolves({});
    const { rows, warnings } = await live(model({ aws_dynamodb_table: { t: { name: 't', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] } } }));
    expect(rowOf(rows, 'L-F98FE922').currentUsage).toBeNull();
    expect(warnings.join('\n')).toMatch(/DynamoDB ListTables returned no list/);
  });

  it('DynamoDB ListTables pages with LastEvaluatedTableName', async () => {
    dynamodb
      .on(ListTablesCommand)
      .resolvesOnce({ TableNames: Array.from({ length: 100 }, (_, i) => `t${i}`), LastEvaluatedTableName: 't99' })
      .resolvesOnce({ TableNames: ['u1', 'u2'] });
    const { rows } = await live(model({ aws_dynamodb_table: { t: { name: 't', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] } } }));
    expect(rowOf(rows, 'L-F98FE922')).toMatchObject({ currentUsage: 102, usageSource: 'list' });
    const inputs = dynamodb.commandCalls(ListTablesCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ Limit: 100, ExclusiveStartTableName: undefined }, { Limit: 100, ExclusiveStartTableName: 't99' }]);
  });

  it('S3 ListBuckets (account-wide, asked in us-east-1) pages with ContinuationToken', async () => {
    const bucket = (n: string) => ({ Name: n, CreationDate: NOW, BucketRegion: 'eu-west-1' });
    s3.on(ListBucketsCommand)
      .resolvesOnce({ Buckets: Array.from({ length: 1000 }, (_, i) => bucket(`b${i}`)), Owner: { ID: 'owner' }, ContinuationToken: 'ct-1' })
      .resolvesOnce({ Buckets: Array.from({ length: 8995 }, (_, i) => bucket(`c${i}`)), Owner: { ID: 'owner' } });
    const { rows } = await live(model({ aws_s3_bucket: { b: { count: 6, bucket_prefix: 'x' } } }));
    expect(rowOf(rows, 'L-DC2B2D3D')).toMatchObject({ region: 'global', currentUsage: 9995, planned: 6, limit: 10000, status: 'exceeded', usageSource: 'list' });
    const calls = s3.commandCalls(ListBucketsCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ MaxBuckets: 1000, ContinuationToken: undefined }, { MaxBuckets: 1000, ContinuationToken: 'ct-1' }]);
    expect(await calls[0].thisValue.config.region()).toBe('us-east-1');
  });

  it('SNS ListTopics pages with NextToken and leaves FIFO topics out of the standard topic count', async () => {
    const arn = (n: string) => ({ TopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:${n}` });
    sns.on(ListTopicsCommand)
      .resolvesOnce({ Topics: [arn('a'), arn('b'), arn('orders.fifo')], NextToken: 'nt' })
      .resolvesOnce({ Topics: [arn('c')] });
    const { rows } = await live(model({ aws_sns_topic: { t: { name: 't' } } }));
    expect(rowOf(rows, 'L-61103206')).toMatchObject({ currentUsage: 3, usageSource: 'list' });
    expect(sns.commandCalls(ListTopicsCommand)[1].args[0].input.NextToken).toBe('nt');
  });

  it('CloudWatch Logs DescribeLogGroups counts every page', async () => {
    const group = (n: string) => ({ logGroupName: n, creationTime: 1, arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${n}:*`, storedBytes: 0 });
    logs.on(DescribeLogGroupsCommand)
      .resolvesOnce({ logGroups: Array.from({ length: 50 }, (_, i) => group(`g${i}`)), nextToken: 'l2' })
      .resolvesOnce({ logGroups: [group('h')] });
    const { rows } = await live(model({ aws_cloudwatch_log_group: { g: { name: 'g' } } }));
    expect(rowOf(rows, 'L-C7B9AAAB')).toMatchObject({ currentUsage: 51, usageSource: 'list' });
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input)).toEqual([{ limit: 50, nextToken: undefined }, { limit: 50, nextToken: 'l2' }]);
  });

  it(`stops after ${MAX_LIST_PAGES} pages and reports unknown usage (with the lower bound), not a partial count`, async () => {
    let n = 0;
    logs.on(DescribeLogGroupsCommand).callsFake(async () => ({ logGroups: [{ logGroupName: `g${n}` }], nextToken: `t${++n}` }));
    const { rows, warnings } = await live(model({ aws_cloudwatch_log_group: { g: { name: 'g' } } }));
    expect(rowOf(rows, 'L-C7B9AAAB').currentUsage).toBeNull();
    expect(logs.commandCalls(DescribeLogGroupsCommand)).toHaveLength(MAX_LIST_PAGES);
    expect(warnings.join('\n')).toMatch(new RegExp(`DescribeLogGroups: stopped after ${MAX_LIST_PAGES} pages .*at least ${MAX_LIST_PAGES} counted`));
  });

  it('KMS: customer managed keys are ListKeys minus the keys an alias/aws/… alias targets', async () => {
    const key = (id: string) => ({ KeyId: id, KeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}` });
    kms.on(ListKeysCommand)
      .resolvesOnce({ Keys: [key('k1'), key('k2'), key('k3')], NextMarker: 'm2', Truncated: true })
      .resolvesOnce({ Keys: [key('k4'), key('aws-s3')], Truncated: false });
    kms.on(ListAliasesCommand)
      .resolvesOnce({ Aliases: [{ AliasName: 'alias/app', TargetKeyId: 'k1' }, { AliasName: 'alias/aws/s3', TargetKeyId: 'aws-s3' }], NextMarker: 'a2', Truncated: true })
      // a predefined AWS alias with no key yet, and a customer alias on the same key as another
      .resolvesOnce({ Aliases: [{ AliasName: 'alias/aws/dynamodb' }, { AliasName: 'alias/app-2', TargetKeyId: 'k1' }], Truncated: false });
    const { rows, warnings } = await live(model({ aws_kms_key: { k: { count: 2 } } }));
    const r = rowOf(rows, 'L-C2F1777E');
    expect(r).toMatchObject({ currentUsage: 4, planned: 2, usageSource: 'list' });
    expect(r.usageNote).toMatch(/5 keys, 1 of them AWS managed/);
    expect(kms.commandCalls(ListKeysCommand)[1].args[0].input).toEqual({ Limit: 1000, Marker: 'm2' });
    expect(kms.commandCalls(ListAliasesCommand)[1].args[0].input).toEqual({ Limit: 100, Marker: 'a2' });
    expect(warnings).toEqual([]);
  });

  it('CodeDeploy: applications counted with ListApplications; deployment groups per planned application (name resolved from the reference)', async () => {
    codedeploy.on(ListApplicationsCommand).resolvesOnce({ applications: ['legacy', 'web'], nextToken: 'a2' }).resolvesOnce({ applications: ['api'] });
    codedeploy
      .on(ListDeploymentGroupsCommand, { applicationName: 'web' })
      .resolvesOnce({ applicationName: 'web', deploymentGroups: ['blue', 'green'], nextToken: 'g2' })
      .resolvesOnce({ applicationName: 'web', deploymentGroups: ['canary'] });
    codedeploy
      .on(ListDeploymentGroupsCommand, { applicationName: 'new-app' })
      .rejects(Object.assign(new Error('No application found for name: new-app'), { name: 'ApplicationDoesNotExistException', $metadata: {} }));
    const { rows, warnings } = await live(
      model({
        aws_codedeploy_app: { web: { name: 'web' }, fresh: { name: 'new-app' } },
        aws_codedeploy_deployment_group: {
          w: { app_name: '${aws_codedeploy_app.web.name}', deployment_group_name: 'prod', service_role_arn: 'x' },
          f: { count: 2, app_name: '${aws_codedeploy_app.fresh.name}', deployment_group_name: 'x', service_role_arn: 'x' },
        },
      }),
    );
    expect(rowOf(rows, 'L-3F19B6A5')).toMatchObject({ currentUsage: 3, planned: 2, usageSource: 'list' });
    expect(rowOf(rows, 'L-D9088B77', 'application: web')).toMatchObject({ currentUsage: 3, planned: 1, usageSource: 'list' });
    const fresh = rowOf(rows, 'L-D9088B77', 'application: new-app');
    expect(fresh).toMatchObject({ currentUsage: 0, planned: 2, usageSource: 'list' });
    expect(fresh.usageNote).toMatch(/application new-app does not exist yet/);
    expect(codedeploy.commandCalls(ListDeploymentGroupsCommand, { applicationName: 'web' })[1].args[0].input).toEqual({ applicationName: 'web', nextToken: 'g2' });
    // concurrent deployments are running work: not listed
    expect(rowOf(rows, 'L-AB125F0B').currentUsage).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('a per-application quota whose application name is unknown before apply is not looked up', async () => {
    const { rows, warnings } = await live(model({ aws_codedeploy_deployment_group: { g: { app_name: '${var.app}', deployment_group_name: 'g', service_role_arn: 'x' } } }));
    const r = rows.find((x) => x.quotaCode === 'L-D9088B77')!;
    expect(r.currentUsage).toBeNull();
    expect(r.usageNote).toMatch(/application name is not known before apply/);
    expect(codedeploy.commandCalls(ListDeploymentGroupsCommand)).toHaveLength(0);
    expect(warnings.filter((w) => /ListDeploymentGroups/.test(w))).toEqual([]);
  });

  it('EventBridge: rules counted per event bus with ListRules (EventBusName, Limit, NextToken); a bus not created yet has 0', async () => {
    const rule = (n: string, bus: string) => ({ Name: n, Arn: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${n}`, EventBusName: bus, State: 'ENABLED' as const, EventPattern: '{}' });
    eventbridge
      .on(ListRulesCommand, { EventBusName: 'default' })
      .resolvesOnce({ Rules: Array.from({ length: 100 }, (_, i) => rule(`r${i}`, 'default')), NextToken: 'e2' })
      .resolvesOnce({ Rules: Array.from({ length: 195 }, (_, i) => rule(`s${i}`, 'default')) });
    eventbridge.on(ListRulesCommand, { EventBusName: 'orders' }).rejects(Object.assign(new Error('Event bus orders does not exist.'), { name: 'ResourceNotFoundException', $metadata: {} }));
    const { rows, warnings } = await live(
      model({ aws_cloudwatch_event_rule: { a: { count: 6, event_pattern: '{}' }, b: { event_bus_name: 'orders', event_pattern: '{}' } } }),
    );
    expect(rowOf(rows, 'L-244521F2', 'event bus: default')).toMatchObject({ currentUsage: 295, planned: 6, limit: 300, status: 'exceeded', usageSource: 'list' });
    expect(rowOf(rows, 'L-244521F2', 'event bus: orders')).toMatchObject({ currentUsage: 0, planned: 1, usageSource: 'list' });
    expect(eventbridge.commandCalls(ListRulesCommand, { EventBusName: 'default' }).map((c) => c.args[0].input)).toEqual([
      { EventBusName: 'default', Limit: 100, NextToken: undefined },
      { EventBusName: 'default', Limit: 100, NextToken: 'e2' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('the usage metric wins when it answers; its failure falls back to the list call', async () => {
    const usageMetric = { MetricNamespace: 'AWS/Usage', MetricName: 'ResourceCount', MetricDimensions: { Class: 'None', Resource: 'Pipelines', Service: 'CodePipeline', Type: 'Resource' }, MetricStatisticRecommendation: 'Maximum' };
    sq.on(GetServiceQuotaCommand).resolves({ Quota: { ServiceCode: 'codepipeline', QuotaCode: 'L-78D200AD', Value: 1000, UsageMetric: usageMetric } });
    cw.on(GetMetricDataCommand).rejects(denied('cloudwatch:GetMetricData'));
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [pipeline('a'), pipeline('b')] });
    const { rows, warnings } = await live(model({ aws_codepipeline: { p: { name: 'p', role_arn: 'x' } } }));
    const r = rowOf(rows, 'L-78D200AD');
    expect(r).toMatchObject({ currentUsage: 2, usageSource: 'list' });
    expect(r.usageNote).toMatch(/ListPipelines.*CloudWatch AWS\/Usage ResourceCount.*AccessDeniedException/);
    expect(warnings).toEqual([]);
  });

  it('uses the injected per-region client factories, one client per region', async () => {
    const made: string[] = [];
    codepipeline.on(ListPipelinesCommand).resolves({ pipelines: [pipeline('a')] });
    const m = modelOf({
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_codepipeline: { p: { count: 2, name: 'p', role_arn: 'x' } }, aws_codecommit_repository: { r: { repository_name: 'r' } } },
    });
    const m2 = modelOf({ provider: { aws: [{ region: 'us-west-2' }] }, resource: { aws_codepipeline: { p: { name: 'p', role_arn: 'x' } } } }, 'other');
    const both = { ...m, stacks: [...m.stacks, ...m2.stacks], resources: [...m.resources, ...m2.resources], byType: (t: string) => [...m.byType(t), ...m2.byType(t)] };
    const { rows } = await live(both as typeof m, { codePipeline: (region) => (made.push(region), new CodePipelineClient({ region })) });
    expect(made.sort()).toEqual(['eu-west-1', 'us-west-2']);
    expect(rows.filter((r) => r.quotaCode === 'L-78D200AD').map((r) => [r.region, r.currentUsage, r.planned]).sort()).toEqual([
      ['eu-west-1', 1, 2],
      ['us-west-2', 1, 1],
    ]);
  });

  it('never has more than 4 AWS calls in flight across every client', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = <T>(out: T) => async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 3));
      inFlight--;
      return out;
    };
    sq.on(GetServiceQuotaCommand).callsFake(async (input: { ServiceCode: string; QuotaCode: string }) => slow({ Quota: { ServiceCode: input.ServiceCode, QuotaCode: input.QuotaCode, Value: 100000 } })());
    codecommit.on(ListRepositoriesCommand).callsFake(slow({ repositories: [] }));
    codebuild.on(ListProjectsCommand).callsFake(slow({ projects: [] }));
    codepipeline.on(ListPipelinesCommand).callsFake(slow({ pipelines: [] }));
    codedeploy.on(ListApplicationsCommand).callsFake(slow({ applications: [] }));
    dynamodb.on(ListTablesCommand).callsFake(slow({ TableNames: [] }));
    sns.on(ListTopicsCommand).callsFake(slow({ Topics: [] }));
    logs.on(DescribeLogGroupsCommand).callsFake(slow({ logGroups: [] }));
    eventbridge.on(ListRulesCommand).callsFake(slow({ Rules: [] }));
    s3.on(ListBucketsCommand).callsFake(slow({ Buckets: [] }));
    kms.on(ListKeysCommand).callsFake(slow({ Keys: [] }));
    kms.on(ListAliasesCommand).callsFake(slow({ Aliases: [] }));
    const resource: Record<string, unknown> = {};
    for (const t of ['aws_codepipeline', 'aws_codecommit_repository', 'aws_codebuild_project', 'aws_codedeploy_app', 'aws_dynamodb_table', 'aws_sns_topic', 'aws_cloudwatch_log_group', 'aws_s3_bucket', 'aws_kms_key']) resource[t] = { x: {} };
    resource.aws_cloudwatch_event_rule = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`r${i}`, { event_bus_name: `bus-${i}` }]));
    const { rows, warnings } = await live(model(resource));
    expect(warnings).toEqual([]);
    expect(rows.filter((r) => r.usageSource === 'list').length).toBeGreaterThanOrEqual(14);
    expect(LIST_MOCKS.reduce((n, mk) => n + mk.calls().length, 0)).toBeGreaterThanOrEqual(15);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
