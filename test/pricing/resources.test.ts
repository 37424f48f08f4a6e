/** One describe per priced resource type: its components, quantities and the free tier that applies. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { estimateCost, type GantryCostReport } from '../../auditor/pricing';
import { fakeModel, type FakeResource } from './fake-model';

function usageFile(text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-res-')), 'u.yml');
  fs.writeFileSync(f, `version: 0.1\n${text}`);
  return f;
}
async function price(resources: FakeResource[], usage?: string, freeTier = false): Promise<GantryCostReport> {
  return estimateCost(fakeModel(resources), { live: false, freeTier, usage: usage ? usageFile(usage) : undefined, warn: () => undefined });
}
const comps = (r: GantryCostReport, i = 0) => r.resources[i].components.map((c) => [c.name, c.quantity, c.monthly]);

describe('aws_codepipeline', () => {
  const stages = [
    { name: 'Source', action: [{ name: 'S', category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' }] },
    { name: 'Build', action: [{ name: 'B', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' }, { name: 'T', category: 'Test', owner: 'Custom', provider: 'Jenkins', version: '1' }] },
    { name: 'Approve', action: [{ name: 'A', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' }] },
    { name: 'Deploy', action: [{ name: 'D', category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1' }] },
  ];
  it('bills V2 per action minute, not for manual approvals or custom actions', async () => {
    const r = await price([{ type: 'aws_codepipeline', name: 'p', values: { pipeline_type: 'V2', stage: stages } }], 'resource_usage:\n  aws_codepipeline.p:\n    monthly_executions: 200\n    average_action_mins: 3\n');
    // 3 billable actions × 200 executions × 3 minutes = 1800 minutes × $0.002
    expect(comps(r)).toEqual([['Action execution minutes (V2, 3 billable actions)', 1800, 3.6]]);
  });
  it('takes explicit V2 action minutes and the 100 free minutes across all V2 pipelines', async () => {
    const u = 'resource_type_default_usage:\n  aws_codepipeline:\n    monthly_action_execution_mins: 80\n';
    const r = await price([{ type: 'aws_codepipeline', name: 'a', values: { pipeline_type: 'V2' } }, { type: 'aws_codepipeline', name: 'b', values: { pipeline_type: 'V2' } }], u, true);
    expect(r.monthlyTotal).toBeCloseTo(60 * 0.002, 9);
  });
  it('bills V1 per active pipeline, one free, none when inactive', async () => {
    const three = await price([1, 2, 3].map((i) => ({ type: 'aws_codepipeline', name: `p${i}`, values: { stage: stages } })), undefined, true);
    expect(three.monthlyTotal).toBe(2);
    const idle = await price([{ type: 'aws_codepipeline', name: 'p', values: {} }], 'resource_usage:\n  aws_codepipeline.p:\n    active: 0\n');
    expect(idle.monthlyTotal).toBe(0);
  });
});

describe('aws_codecommit_repository', () => {
  it('charges users beyond 5 free, and storage and requests beyond what each user includes', async () => {
    const r = await price([{ type: 'aws_codecommit_repository', name: 'r' }], 'resource_usage:\n  aws_codecommit_repository.r:\n    monthly_active_users: 8\n    storage_gb: 100\n    monthly_git_requests: 20000\n', true);
    // 3 paid users; 100 GB − 80 included = 20 × 0.06; 20,000 − 16,000 = 4,000 × 0.001
    expect(r.monthlyTotal).toBeCloseTo(3 + 1.2 + 4, 9);
  });
});

describe('aws_codedeploy_deployment_group', () => {
  it('is free for EC2 deployments and charges on-premises instance updates', async () => {
    const ec2 = await price([{ type: 'aws_codedeploy_app', name: 'a', values: { compute_platform: 'Server' } }, { type: 'aws_codedeploy_deployment_group', name: 'g', values: { app_name: '${aws_codedeploy_app.a.name}' } }]);
    expect(comps(ec2)).toEqual([['Deployments to Amazon EC2 (no charge)', 50, 0]]);
    const lambda = await price([{ type: 'aws_codedeploy_app', name: 'a', values: { compute_platform: 'Lambda' } }, { type: 'aws_codedeploy_deployment_group', name: 'g', values: { app_name: '${aws_codedeploy_app.a.name}' } }]);
    expect(comps(lambda)[0][0]).toBe('Deployments to AWS Lambda (no charge)');
    const onPrem = await price([{ type: 'aws_codedeploy_deployment_group', name: 'g', values: { on_premises_instance_tag_filter: [{ key: 'k', value: 'v', type: 'KEY_AND_VALUE' }] } }], 'resource_usage:\n  aws_codedeploy_deployment_group.g:\n    monthly_on_premises_instance_updates: 400\n');
    expect(onPrem.monthlyTotal).toBeCloseTo(8, 9);
  });
});

describe('aws_s3_bucket', () => {
  it('prices Standard storage by tier and requests per thousand', async () => {
    const r = await price([{ type: 'aws_s3_bucket', name: 'b' }], 'resource_usage:\n  aws_s3_bucket.b:\n    standard:\n      storage_gb: 60000\n      monthly_tier_1_requests: 2000000\n      monthly_tier_2_requests: 10000000\n');
    expect(comps(r)).toEqual([
      ['Storage (S3 Standard)', 60000, expect.closeTo(51200 * 0.023 + 8800 * 0.022, 6)],
      ['PUT, COPY, POST, LIST requests', 2000, 10],
      ['GET, SELECT and other requests', 10000, 4],
    ]);
  });
});

describe('aws_dynamodb_table', () => {
  it('prices on-demand request units and storage, with 25 GB free', async () => {
    const r = await price([{ type: 'aws_dynamodb_table', name: 't', values: { billing_mode: 'PAY_PER_REQUEST' } }], 'resource_usage:\n  aws_dynamodb_table.t:\n    monthly_write_request_units: 4000000\n    monthly_read_request_units: 8000000\n    storage_gb: 30\n', true);
    expect(r.monthlyTotal).toBeCloseTo(4 * 0.625 + 8 * 0.125 + 5 * 0.25, 9);
  });
  it('prices provisioned capacity for every hour, table and indexes (the default billing mode)', async () => {
    const r = await price([{ type: 'aws_dynamodb_table', name: 't', values: { read_capacity: 10, write_capacity: 5, global_secondary_index: [{ name: 'g', read_capacity: 2, write_capacity: 1 }] } }], 'resource_usage:\n  aws_dynamodb_table.t:\n    storage_gb: 0\n');
    expect(comps(r).slice(0, 2)).toEqual([
      ['Provisioned write capacity (6 WCU)', 6 * 730, expect.closeTo(6 * 730 * 0.00065, 9)],
      ['Provisioned read capacity (12 RCU)', 12 * 730, expect.closeTo(12 * 730 * 0.00013, 9)],
    ]);
    const free = await price([{ type: 'aws_dynamodb_table', name: 't', values: { read_capacity: 10, write_capacity: 5 } }], 'resource_usage:\n  aws_dynamodb_table.t:\n    storage_gb: 0\n', true);
    expect(free.monthlyTotal).toBe(0);
  });
});

describe('aws_kms_key', () => {
  it('charges $1 a key, rotations, and requests beyond 20,000 free', async () => {
    const r = await price([{ type: 'aws_kms_key', name: 'k', values: { enable_key_rotation: true } }], 'resource_usage:\n  aws_kms_key.k:\n    monthly_requests: 120000\n    rotations: 5\n', true);
    expect(comps(r)).toEqual([
      ['Customer managed key', 1, 1],
      ['Rotated backing keys (first two rotations)', 2, 2],
      ['Requests (symmetric)', 12, expect.closeTo(10 * 0.03, 9)],
    ]);
  });
});

describe('aws_cloudwatch_log_group and aws_cloudwatch_metric_alarm', () => {
  it('takes 5 free GB across ingestion and storage', async () => {
    const r = await price([{ type: 'aws_cloudwatch_log_group', name: 'l' }], 'resource_usage:\n  aws_cloudwatch_log_group.l:\n    monthly_data_ingested_gb: 4\n    storage_gb: 10\n', true);
    // 4 GB ingestion free, 1 GB of storage free: 9 × 0.03
    expect(r.monthlyTotal).toBeCloseTo(0.27, 9);
  });
  it('gives 10 standard alarms free, none for high resolution, and counts metric-math metrics', async () => {
    const alarms: FakeResource[] = [{ type: 'aws_cloudwatch_metric_alarm', name: 'std', count: 12, values: { period: 300 } }, { type: 'aws_cloudwatch_metric_alarm', name: 'hr', values: { period: 10 } }, { type: 'aws_cloudwatch_metric_alarm', name: 'math', values: { metric_query: [{ id: 'a', metric: [{ metric_name: 'x', period: 60 }] }, { id: 'b', metric: [{ metric_name: 'y', period: 60 }] }, { id: 'e', expression: 'a+b' }] } }];
    const r = await price(alarms, undefined, true);
    const by = (a: string) => r.resources.find((x) => x.resource === a)!;
    expect(by('aws_cloudwatch_metric_alarm.hr').monthly).toBeCloseTo(0.3, 9);
    expect(by('aws_cloudwatch_metric_alarm.math').components[0].quantity).toBe(2);
    // 14 standard alarm metrics − 10 free = 4 × 0.10
    expect(r.monthlyTotal).toBeCloseTo(0.3 + 0.4, 9);
  });
});

describe('aws_sns_topic, aws_secretsmanager_secret, aws_ssm_parameter', () => {
  it('prices SNS publishes and e-mail deliveries to its subscriptions', async () => {
    const r = await price([{ type: 'aws_sns_topic', name: 't' }, { type: 'aws_sns_topic_subscription', name: 's', count: 2, values: { topic_arn: '${aws_sns_topic.t.arn}', protocol: 'email' } }], 'resource_usage:\n  aws_sns_topic.t:\n    monthly_requests: 3000000\n', true);
    // 2M paid publishes × $0.50/M; 6M e-mails − 1,000 free at $2/100k
    expect(r.monthlyTotal).toBeCloseTo(1 + (6e6 - 1000) / 1e5 * 2, 6);
  });
  it('prices a secret with its replicas and API calls', async () => {
    const r = await price([{ type: 'aws_secretsmanager_secret', name: 's', values: { replica: [{ region: 'eu-west-1' }] } }], 'resource_usage:\n  aws_secretsmanager_secret.s:\n    monthly_requests: 20000\n');
    expect(r.monthlyTotal).toBeCloseTo(0.8 + 0.1, 9);
  });
  it('charges advanced parameters only', async () => {
    const std = await price([{ type: 'aws_ssm_parameter', name: 'p', values: { type: 'String' } }]);
    expect(comps(std)).toEqual([['Standard parameter (no charge)', 1, 0]]);
    const adv = await price([{ type: 'aws_ssm_parameter', name: 'p', values: { tier: 'Advanced' } }], 'resource_usage:\n  aws_ssm_parameter.p:\n    monthly_api_interactions: 10000\n');
    expect(adv.monthlyTotal).toBeCloseTo(0.05 + 0.05, 9);
  });
});

describe('usage keys', () => {
  it('warns about a key the resource type does not know', async () => {
    const warnings: string[] = [];
    await estimateCost(fakeModel([{ type: 'aws_kms_key', name: 'k' }]), { live: false, freeTier: true, usage: usageFile('resource_usage:\n  aws_kms_key.k:\n    monthly_reqs: 5\n'), warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/resource_usage\.aws_kms_key\.k\.monthly_reqs is not a usage key of aws_kms_key \(known: monthly_requests, rotations\)/)]);
  });
});

describe('aws_codebuild_project', () => {
  const build = (name: string, environment: Record<string, unknown>): FakeResource => ({ type: 'aws_codebuild_project', name, values: { environment: [environment] } });
  it('names each platform and size, and lambda memory sizes, with their own price rows', async () => {
    const r = await price([
      build('a', { compute_type: 'BUILD_GENERAL1_SMALL', type: 'LINUX_CONTAINER' }),
      build('b', { compute_type: 'BUILD_GENERAL1_LARGE', type: 'ARM_CONTAINER' }),
      build('c', { compute_type: 'BUILD_GENERAL1_MEDIUM', type: 'WINDOWS_SERVER_2022_CONTAINER' }),
      build('d', { compute_type: 'BUILD_LAMBDA_1GB', type: 'ARM_LAMBDA_CONTAINER' }),
      build('e', { compute_type: 'BUILD_LAMBDA_1GB', type: 'LINUX_LAMBDA_CONTAINER' }),
      build('f', { compute_type: 'BUILD_GENERAL1_SMALL', type: 'LINUX_CONTAINER' }),
    ]);
    const by = (n: string) => r.resources.find((x) => x.resource === `aws_codebuild_project.${n}`)!.components[0];
    expect([by('a').name, by('a').priceId]).toEqual(['Build minutes (Linux, general1.small)', 'codebuild.linux.small']);
    expect([by('b').name, by('b').priceId]).toEqual(['Build minutes (Linux ARM, arm1.large)', 'codebuild.arm.large']);
    expect([by('c').name, by('c').priceId]).toEqual(['Build minutes (Windows, general1.medium)', 'codebuild.windows.medium']);
    expect([by('d').name, by('d').priceId, by('d').quantity]).toEqual(['Build seconds (lambda.arm.1GB)', 'codebuild.lambda.arm.1gb', 500 * 60]);
    expect([by('e').name, by('e').priceId]).toEqual(['Build seconds (lambda.x86-64.1GB)', 'codebuild.lambda.x86-64.1gb']);
    expect([by('f').name, by('f').priceId]).toEqual(['Build minutes (Linux, general1.small)', 'codebuild.linux.small']);
    // A size the snapshot has no row for is named the same way and reported unpriced.
    const big = await price([build('g', { compute_type: 'BUILD_LAMBDA_4GB', type: 'ARM_LAMBDA_CONTAINER' })]);
    expect(big.unsupported.map((u) => u.components)).toEqual([['Build seconds (lambda.arm.4GB)']]);
  });
  it('leaves an unknown or hostile compute type unpriced instead of reading it off an object prototype', async () => {
    const r = await price([build('x', { compute_type: 'constructor' }), build('y', { compute_type: '__proto__', type: 'MAINFRAME' })]);
    expect(r.resources).toEqual([]);
    expect(r.unsupported.map((u) => [u.resource, u.cause, u.components])).toEqual([
      ['aws_codebuild_project.x', 'no-price', ['Build minutes (unknown environment constructor)']],
      ['aws_codebuild_project.y', 'no-price', ['Build minutes (MAINFRAME __proto__)']],
    ]);
  });
});
