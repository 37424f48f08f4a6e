/**
 * Current usage by listing (`--live`), for quotas where Service Quotas names no CloudWatch usage
 * metric, or the metric look-up fails or has no datapoint: each counter pages through the
 * service's own list call and counts what the quota counts.
 *
 * Counters never estimate: a page cap reached, a failed call or a response without the list is an
 * error (the row's currentUsage stays null and the audit warns, naming the call). A parent that
 * does not exist yet (a CodeDeploy application or event bus the plan creates) has no children:
 * the service says so (ApplicationDoesNotExistException / ResourceNotFoundException) and the count
 * is 0.
 *
 * Not counted by listing (no list call answers them without guessing):
 * - CodeBuild concurrent builds per compute type and CodeDeploy concurrent deployments: these are
 *   running work, not resources; a count at audit time says nothing about the apply.
 * KMS customer managed keys are ListKeys minus the AWS managed keys, which are exactly the keys
 * an `alias/aws/…` alias targets (ListAliases): AWS managed keys always have an `aws/<service>`
 * alias and customers cannot create one (https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html).
 * Two paginated calls instead of one DescribeKey per key.
 */
import { CodeCommitClient, ListRepositoriesCommand } from '@aws-sdk/client-codecommit';
import { CodeBuildClient, ListProjectsCommand } from '@aws-sdk/client-codebuild';
import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { CodeDeployClient, ListApplicationsCommand, ListDeploymentGroupsCommand } from '@aws-sdk/client-codedeploy';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';

/** Pages followed per list call before giving up (DescribeLogGroups: 200 × 50 = 10,000 log groups). */
export const MAX_LIST_PAGES = 200;

export interface ListClientTypes {
  codeCommit: CodeCommitClient;
  codeBuild: CodeBuildClient;
  codePipeline: CodePipelineClient;
  codeDeploy: CodeDeployClient;
  s3: S3Client;
  dynamoDb: DynamoDBClient;
  sns: SNSClient;
  eventBridge: EventBridgeClient;
  cloudWatchLogs: CloudWatchLogsClient;
  kms: KMSClient;
}
export type ListClientKind = keyof ListClientTypes;
/** Client factories for the list calls, injectable for tests (called once per region). */
export type ListClients = { [K in ListClientKind]?: (region: string) => ListClientTypes[K] };

/** Default clients: SDK retries off (withRetry retries throttling, with the concurrency bound held). */
export const MAKE_LIST_CLIENT: { [K in ListClientKind]: (region: string) => ListClientTypes[K] } = {
  codeCommit: (region) => new CodeCommitClient({ region, maxAttempts: 1 }),
  codeBuild: (region) => new CodeBuildClient({ region, maxAttempts: 1 }),
  codePipeline: (region) => new CodePipelineClient({ region, maxAttempts: 1 }),
  codeDeploy: (region) => new CodeDeployClient({ region, maxAttempts: 1 }),
  s3: (region) => new S3Client({ region, maxAttempts: 1 }),
  dynamoDb: (region) => new DynamoDBClient({ region, maxAttempts: 1 }),
  sns: (region) => new SNSClient({ region, maxAttempts: 1 }),
  eventBridge: (region) => new EventBridgeClient({ region, maxAttempts: 1 }),
  cloudWatchLogs: (region) => new CloudWatchLogsClient({ region, maxAttempts: 1 }),
  kms: (region) => new KMSClient({ region, maxAttempts: 1 }),
};

/** What a counter needs from the live session: per-region clients, and one call (retried, bounded). */
export interface ListEnv {
  client<K extends ListClientKind>(kind: K, region: string): ListClientTypes[K];
  call<T>(fn: () => Promise<T>): Promise<T>;
}

export interface ListCount {
  count: number;
  /** Extra words for the row (`application web does not exist yet`). */
  note?: string;
}

export interface ListCounter {
  /** The call(s), as named in notes and warnings: `CodePipeline ListPipelines`. */
  call: string;
  /** Per-parent quotas: what the parent is (the counter needs its literal name). */
  parent?: string;
  count(env: ListEnv, region: string, parent?: string): Promise<ListCount>;
}

/** Follow a paginated call to the end, adding up what each page counts; at most MAX_LIST_PAGES pages. */
async function paginate<O>(
  env: ListEnv,
  call: string,
  fetch: (token: string | undefined) => Promise<O | undefined>,
  next: (out: O) => string | undefined,
  count: (out: O) => number | undefined,
): Promise<number> {
  let total = 0;
  let token: string | undefined;
  for (let page = 1; ; page++) {
    const out = await env.call(() => fetch(token));
    const n = out === undefined ? undefined : count(out);
    if (out === undefined || n === undefined) throw new Error(`${call} returned no list`);
    total += n;
    token = next(out);
    if (!token) return total;
    if (page >= MAX_LIST_PAGES) {
      throw new Error(`${call}: stopped after ${MAX_LIST_PAGES} pages with more to come (at least ${total} counted)`);
    }
  }
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}

/** Counters by `serviceCode/quotaCode`. */
export const LIST_COUNTERS: Record<string, ListCounter> = {
  'codecommit/L-81790602': {
    call: 'CodeCommit ListRepositories',
    count: async (env, region) => {
      const c = env.client('codeCommit', region);
      const n = await paginate(env, 'CodeCommit ListRepositories', (nextToken) => c.send(new ListRepositoriesCommand({ nextToken })), (o) => o.nextToken, (o) => o.repositories?.length);
      return { count: n };
    },
  },
  'codebuild/L-ACCF6C0D': {
    call: 'CodeBuild ListProjects',
    count: async (env, region) => {
      const c = env.client('codeBuild', region);
      return { count: await paginate(env, 'CodeBuild ListProjects', (nextToken) => c.send(new ListProjectsCommand({ nextToken })), (o) => o.nextToken, (o) => o.projects?.length) };
    },
  },
  'codepipeline/L-78D200AD': {
    call: 'CodePipeline ListPipelines',
    count: async (env, region) => {
      const c = env.client('codePipeline', region);
      return {
        count: await paginate(env, 'CodePipeline ListPipelines', (nextToken) => c.send(new ListPipelinesCommand({ nextToken, maxResults: 1000 })), (o) => o.nextToken, (o) => o.pipelines?.length),
      };
    },
  },
  'codedeploy/L-3F19B6A5': {
    call: 'CodeDeploy ListApplications',
    count: async (env, region) => {
      const c = env.client('codeDeploy', region);
      return { count: await paginate(env, 'CodeDeploy ListApplications', (nextToken) => c.send(new ListApplicationsCommand({ nextToken })), (o) => o.nextToken, (o) => o.applications?.length) };
    },
  },
  'codedeploy/L-D9088B77': {
    call: 'CodeDeploy ListDeploymentGroups',
    parent: 'application',
    count: async (env, region, applicationName) => {
      const c = env.client('codeDeploy', region);
      try {
        const n = await paginate(
          env,
          `CodeDeploy ListDeploymentGroups (${applicationName})`,
          (nextToken) => c.send(new ListDeploymentGroupsCommand({ applicationName, nextToken })),
          (o) => o.nextToken,
          (o) => o.deploymentGroups?.length,
        );
        return { count: n };
      } catch (err) {
        if (errorName(err) === 'ApplicationDoesNotExistException') return { count: 0, note: `application ${applicationName} does not exist yet` };
        throw err;
      }
    },
  },
  's3/L-DC2B2D3D': {
    call: 'S3 ListBuckets',
    count: async (env, region) => {
      const c = env.client('s3', region);
      // Without BucketRegion, ListBuckets lists the account's general purpose buckets in every region.
      return {
        count: await paginate(env, 'S3 ListBuckets', (ContinuationToken) => c.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken })), (o) => o.ContinuationToken, (o) => o.Buckets?.length),
      };
    },
  },
  'dynamodb/L-F98FE922': {
    call: 'DynamoDB ListTables',
    count: async (env, region) => {
      const c = env.client('dynamoDb', region);
      return {
        count: await paginate(env, 'DynamoDB ListTables', (ExclusiveStartTableName) => c.send(new ListTablesCommand({ Limit: 100, ExclusiveStartTableName })), (o) => o.LastEvaluatedTableName, (o) => o.TableNames?.length),
      };
    },
  },
  'sns/L-61103206': {
    call: 'SNS ListTopics',
    count: async (env, region) => {
      const c = env.client('sns', region);
      // The quota counts standard topics; FIFO topic names (and ARNs) end in `.fifo`.
      return {
        count: await paginate(env, 'SNS ListTopics', (NextToken) => c.send(new ListTopicsCommand({ NextToken })), (o) => o.NextToken, (o) => o.Topics?.filter((t) => !t.TopicArn?.endsWith('.fifo')).length),
      };
    },
  },
  'events/L-244521F2': {
    call: 'EventBridge ListRules',
    parent: 'event bus',
    count: async (env, region, EventBusName) => {
      const c = env.client('eventBridge', region);
      try {
        const n = await paginate(
          env,
          `EventBridge ListRules (${EventBusName})`,
          (NextToken) => c.send(new ListRulesCommand({ EventBusName, Limit: 100, NextToken })),
          (o) => o.NextToken,
          (o) => o.Rules?.length,
        );
        return { count: n };
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return { count: 0, note: `event bus ${EventBusName} does not exist yet` };
        throw err;
      }
    },
  },
  'logs/L-C7B9AAAB': {
    call: 'CloudWatch Logs DescribeLogGroups',
    count: async (env, region) => {
      const c = env.client('cloudWatchLogs', region);
      return {
        count: await paginate(env, 'CloudWatch Logs DescribeLogGroups', (nextToken) => c.send(new DescribeLogGroupsCommand({ limit: 50, nextToken })), (o) => o.nextToken, (o) => o.logGroups?.length),
      };
    },
  },
  'kms/L-C2F1777E': {
    call: 'KMS ListKeys and ListAliases',
    count: async (env, region) => {
      const c = env.client('kms', region);
      const keys = new Set<string>();
      await paginate(
        env,
        'KMS ListKeys',
        (Marker) => c.send(new ListKeysCommand({ Limit: 1000, Marker })),
        (o) => (o.Truncated ? o.NextMarker : undefined),
        (o) => {
          for (const k of o.Keys ?? []) if (k.KeyId) keys.add(k.KeyId);
          return o.Keys?.length;
        },
      );
      const awsManaged = new Set<string>();
      await paginate(
        env,
        'KMS ListAliases',
        (Marker) => c.send(new ListAliasesCommand({ Limit: 100, Marker })),
        (o) => (o.Truncated ? o.NextMarker : undefined),
        (o) => {
          for (const a of o.Aliases ?? []) if (a.TargetKeyId && a.AliasName?.startsWith('alias/aws/')) awsManaged.add(a.TargetKeyId);
          return o.Aliases?.length;
        },
      );
      let n = 0;
      for (const k of keys) if (!awsManaged.has(k)) n++;
      return { count: n, note: `${keys.size} keys, ${keys.size - n} of them AWS managed (an alias/aws/… alias targets them)` };
    },
  },
};

export function listCounterFor(serviceCode: string, quotaCode: string): ListCounter | undefined {
  return LIST_COUNTERS[`${serviceCode}/${quotaCode}`];
}
