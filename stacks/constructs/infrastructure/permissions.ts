/**
 * What the infrastructure pipeline's plan and apply roles may do, derived from the configuration:
 * the state backend (bucket objects of this prefix, the lock table, the state key by alias) and the
 * resources the application stacks create — named `<prefix>-…` (or named in the configuration:
 * CodeCommit repositories, runtime roles), or, where AWS picks the id (KMS keys, connections),
 * tagged `ManagedBy = gantry` by the provider's default tags.
 *
 * `readStatements` is all the plan role gets (Describe/Get/List only, plus the state lock);
 * `writeStatements` is what only the apply role adds.
 */
import type { GantryConfig } from '../../config/schema';
import type { AwsEnv } from '../../lib/aws-env';
import { stateKeyAlias } from '../../lib/naming';
import type { Statement } from '../../lib/policy';

/** The tag the provider's default_tags put on every Gantry resource. */
export const MANAGED_BY = { key: 'ManagedBy', value: 'gantry' } as const;

/** Services the application stacks pass roles to (CodeBuild projects, pipelines, deployment groups, event targets, instance profiles). */
export const PASSED_TO_SERVICES = ['codebuild.amazonaws.com', 'codepipeline.amazonaws.com', 'codedeploy.amazonaws.com', 'events.amazonaws.com', 'ec2.amazonaws.com'];

export interface InfrastructureScope {
  readonly env: AwsEnv;
  readonly config: GantryConfig;
  /** Application names whose stacks the pipeline plans and applies. */
  readonly applications: readonly string[];
}

interface Arns {
  prefix: string;
  stateBucket: string;
  stateObjects: string;
  stateLocks: string;
  lockTable: string;
  keys: string;
  aliases: string;
  buckets: string;
  roles: string[];
  instanceProfiles: string;
  repositories: string[];
  projects: string;
  reportGroups: string;
  pipelines: string;
  codedeploy: { applications: string; groups: string; configs: string };
  connections: string[];
  topics: string;
  rules: string;
  logGroups: string[];
  alarms: string;
}

function arns(s: InfrastructureScope): Arns {
  const { env, config } = s;
  const p = config.prefix;
  const apps = config.applications.filter((a) => s.applications.includes(a.name));
  const runtimeRoles = [...new Set(apps.flatMap((a) => a.environments.map((e) => e.runtimeRoleName).filter((n): n is string => !!n)))];
  const repos = apps.flatMap((a) => (a.source.type === 'codecommit' ? [a.source.repositoryName ?? `${p}-${a.name}`] : []));
  const stateBucket = env.bucketArn(config.state.bucket);
  return {
    prefix: p,
    stateBucket,
    stateObjects: `${stateBucket}/${p}/*`,
    stateLocks: `${stateBucket}/${p}/*.tflock`,
    lockTable: env.arn('dynamodb', `table/${config.state.lockTable}`),
    keys: env.arn('kms', 'key/*'),
    aliases: env.arn('kms', `alias/${p}-*`),
    buckets: env.bucketArn(`${p}-*`),
    roles: [env.roleArn(`${p}-*`), ...runtimeRoles.map((r) => env.roleArn(r))],
    instanceProfiles: env.arn('iam', `instance-profile/${p}-*`, { region: '' }),
    repositories: [...new Set(repos)].map((r) => env.arn('codecommit', r)),
    projects: env.arn('codebuild', `project/${p}-*`),
    reportGroups: env.arn('codebuild', `report-group/${p}-*`),
    pipelines: env.arn('codepipeline', `${p}-*`),
    codedeploy: {
      applications: env.arn('codedeploy', `application:${p}-*`),
      groups: env.arn('codedeploy', `deploymentgroup:${p}-*/*`),
      configs: env.arn('codedeploy', `deploymentconfig:${p}-*`),
    },
    connections: [env.arn('codestar-connections', 'connection/*')],
    topics: env.arn('sns', `${p}-*`),
    rules: env.arn('events', `rule/${p}-*`),
    logGroups: [env.arn('logs', `log-group:/aws/codebuild/${p}-*`), env.arn('logs', `log-group:/aws/codebuild/${p}-*:log-stream:*`)],
    alarms: env.arn('cloudwatch', `alarm:${p}-*`),
  };
}

const tagged = { StringEquals: { [`aws:ResourceTag/${MANAGED_BY.key}`]: MANAGED_BY.value } };

/** The state backend as `terraform plan` uses it: read state, take and release the lock (DynamoDB item and S3 lock file), use the state key. */
export function stateStatements(s: InfrastructureScope): Statement[] {
  const a = arns(s);
  return [
    { Sid: 'ListStateBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: a.stateBucket },
    { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: a.stateObjects },
    { Sid: 'TakeStateLockFile', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: a.stateLocks },
    { Sid: 'TakeStateLock', Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: a.lockTable },
    {
      Sid: 'UseStateKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: a.keys,
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${stateKeyAlias(s.config)}` } },
    },
  ];
}

/** Describe/Get/List on what the application stacks create: what `plan` needs to refresh them. */
export function readStatements(s: InfrastructureScope): Statement[] {
  const a = arns(s);
  const out: Statement[] = [
    ...stateStatements(s),
    {
      Sid: 'ReadBuckets',
      Effect: 'Allow',
      Action: [
        's3:ListBucket',
        's3:GetBucketAcl',
        's3:GetBucketCORS',
        's3:GetBucketLocation',
        's3:GetBucketLogging',
        's3:GetBucketObjectLockConfiguration',
        's3:GetBucketOwnershipControls',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketRequestPayment',
        's3:GetBucketTagging',
        's3:GetBucketVersioning',
        's3:GetBucketWebsite',
        's3:GetAccelerateConfiguration',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
      ],
      Resource: a.buckets,
    },
    { Sid: 'ReadKeys', Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'], Resource: a.keys, Condition: tagged },
    { Sid: 'ListAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
    {
      Sid: 'ReadRoles',
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'],
      Resource: a.roles,
    },
    { Sid: 'ReadInstanceProfiles', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: a.instanceProfiles },
    { Sid: 'ReadBuildProjects', Effect: 'Allow', Action: ['codebuild:BatchGetProjects', 'codebuild:BatchGetReportGroups'], Resource: [a.projects, a.reportGroups] },
    { Sid: 'ReadPipelines', Effect: 'Allow', Action: ['codepipeline:GetPipeline', 'codepipeline:ListTagsForResource'], Resource: a.pipelines },
    {
      Sid: 'ReadDeployments',
      Effect: 'Allow',
      Action: ['codedeploy:GetApplication', 'codedeploy:GetDeploymentGroup', 'codedeploy:GetDeploymentConfig', 'codedeploy:ListTagsForResource'],
      Resource: [a.codedeploy.applications, a.codedeploy.groups, a.codedeploy.configs],
    },
    {
      Sid: 'ReadConnections',
      Effect: 'Allow',
      Action: ['codestar-connections:GetConnection', 'codestar-connections:ListTagsForResource'],
      Condition: tagged,
      Resource: a.connections,
    },
    { Sid: 'ReadTopics', Effect: 'Allow', Action: ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:ListSubscriptionsByTopic'], Resource: a.topics },
    { Sid: 'ReadSubscriptions', Effect: 'Allow', Action: 'sns:GetSubscriptionAttributes', Resource: `${a.topics}:*` },
    { Sid: 'ReadEventRules', Effect: 'Allow', Action: ['events:DescribeRule', 'events:ListTargetsByRule', 'events:ListTagsForResource'], Resource: a.rules },
    { Sid: 'ReadLogGroups', Effect: 'Allow', Action: ['logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'], Resource: a.logGroups[0] },
    { Sid: 'ReadAlarms', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'], Resource: a.alarms },
    { Sid: 'ReadApprovalRuleTemplates', Effect: 'Allow', Action: ['codecommit:GetApprovalRuleTemplate', 'codecommit:ListRepositoriesForApprovalRuleTemplate'], Resource: '*' },
  ];
  if (a.repositories.length) {
    out.push({
      Sid: 'ReadRepositories',
      Effect: 'Allow',
      Action: ['codecommit:GetRepository', 'codecommit:ListTagsForResource', 'codecommit:ListAssociatedApprovalRuleTemplatesForRepository'],
      Resource: a.repositories,
    });
  }
  return out;
}

/** What the apply role must never change although its name or tags match: the pipeline itself and the state backend. */
export interface ProtectedResources {
  /** ARNs (patterns allowed) of the pipeline's own roles, projects, pipeline, topic, event rule and exact log groups. */
  readonly arns: readonly string[];
  /** Buckets whose configuration must not change (the state bucket is always included). */
  readonly buckets: readonly string[];
  /** `GantryStack` tag values of stacks whose keys must not be managed (bootstrap, this pipeline's). */
  readonly keyStacks: readonly string[];
}

const BUCKET_CONFIG_ACTIONS = [
  's3:DeleteBucket',
  's3:PutBucketVersioning',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
];
const KEY_MANAGEMENT_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:CreateGrant',
];

/** Create, change and delete what the application stacks create, and write their state: the apply role only. */
export function writeStatements(s: InfrastructureScope, protect: ProtectedResources): Statement[] {
  const a = arns(s);
  const out: Statement[] = [
    // Denies first: prefix and tag scopes also match the pipeline's own resources and the state backend.
    { Sid: 'NeverChangeThisPipeline', Effect: 'Deny', Action: '*', Resource: [...protect.arns] },
    { Sid: 'NeverReconfigureProtectedBuckets', Effect: 'Deny', Action: BUCKET_CONFIG_ACTIONS, Resource: [...new Set([a.stateBucket, ...protect.buckets])] },
    {
      Sid: 'NeverManageProtectedKeys',
      Effect: 'Deny',
      Action: KEY_MANAGEMENT_ACTIONS,
      Resource: a.keys,
      Condition: { StringEquals: { 'aws:ResourceTag/GantryStack': [...protect.keyStacks] } },
    },
    { Sid: 'WriteState', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: a.stateObjects },
    {
      Sid: 'UseStateKeyForWrites',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: a.keys,
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${stateKeyAlias(s.config)}` } },
    },
    {
      Sid: 'ManageBuckets',
      Effect: 'Allow',
      Action: ['s3:CreateBucket', ...BUCKET_CONFIG_ACTIONS, 's3:PutBucketTagging'],
      Resource: a.buckets,
    },
    { Sid: 'CreateTaggedKeys', Effect: 'Allow', Action: ['kms:CreateKey', 'kms:TagResource'], Resource: '*', Condition: { StringEquals: { [`aws:RequestTag/${MANAGED_BY.key}`]: MANAGED_BY.value } } },
    {
      Sid: 'ManageTaggedKeys',
      Effect: 'Allow',
      Action: [
        'kms:PutKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:UpdateKeyDescription',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:CreateAlias',
        'kms:DeleteAlias',
        'kms:UpdateAlias',
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ],
      Resource: a.keys,
      Condition: tagged,
    },
    { Sid: 'ManageAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], Resource: a.aliases },
    {
      Sid: 'ManageRoles',
      Effect: 'Allow',
      Action: ['iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:TagRole', 'iam:UntagRole'],
      Resource: a.roles[0],
    },
    {
      Sid: 'ManageInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile'],
      Resource: a.instanceProfiles,
    },
    { Sid: 'PassPrefixedRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: a.roles[0], Condition: { StringEquals: { 'iam:PassedToService': PASSED_TO_SERVICES } } },
    {
      Sid: 'ManageBuildProjects',
      Effect: 'Allow',
      Action: ['codebuild:CreateProject', 'codebuild:UpdateProject', 'codebuild:DeleteProject', 'codebuild:CreateWebhook', 'codebuild:UpdateWebhook', 'codebuild:DeleteWebhook'],
      Resource: a.projects,
    },
    { Sid: 'ManageReportGroups', Effect: 'Allow', Action: ['codebuild:CreateReportGroup', 'codebuild:UpdateReportGroup', 'codebuild:DeleteReportGroup'], Resource: a.reportGroups },
    { Sid: 'ManagePipelines', Effect: 'Allow', Action: ['codepipeline:CreatePipeline', 'codepipeline:UpdatePipeline', 'codepipeline:DeletePipeline', 'codepipeline:TagResource', 'codepipeline:UntagResource'], Resource: a.pipelines },
    {
      Sid: 'ManageDeployments',
      Effect: 'Allow',
      Action: [
        'codedeploy:CreateApplication',
        'codedeploy:DeleteApplication',
        'codedeploy:UpdateApplication',
        'codedeploy:CreateDeploymentGroup',
        'codedeploy:UpdateDeploymentGroup',
        'codedeploy:DeleteDeploymentGroup',
        'codedeploy:CreateDeploymentConfig',
        'codedeploy:DeleteDeploymentConfig',
        'codedeploy:TagResource',
        'codedeploy:UntagResource',
      ],
      Resource: [a.codedeploy.applications, a.codedeploy.groups, a.codedeploy.configs],
    },
    { Sid: 'ManageTopics', Effect: 'Allow', Action: ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:TagResource', 'sns:UntagResource'], Resource: a.topics },
    { Sid: 'ManageSubscriptions', Effect: 'Allow', Action: 'sns:Unsubscribe', Resource: `${a.topics}:*` },
    { Sid: 'ManageEventRules', Effect: 'Allow', Action: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets', 'events:TagResource', 'events:UntagResource'], Resource: a.rules },
    {
      Sid: 'ManageLogGroups',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', 'logs:TagResource', 'logs:UntagResource'],
      Resource: a.logGroups[0],
    },
    { Sid: 'ManageAlarms', Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'], Resource: a.alarms },
    {
      Sid: 'ManageTaggedConnections',
      Effect: 'Allow',
      Action: ['codestar-connections:DeleteConnection', 'codestar-connections:TagResource', 'codestar-connections:UntagResource'],
      Resource: a.connections,
      Condition: tagged,
    },
    {
      Sid: 'CreateTaggedConnections',
      Effect: 'Allow',
      Action: 'codestar-connections:CreateConnection',
      Resource: '*',
      Condition: { StringEquals: { [`aws:RequestTag/${MANAGED_BY.key}`]: MANAGED_BY.value } },
    },
    {
      Sid: 'ManageApprovalRuleTemplates',
      Effect: 'Allow',
      Action: ['codecommit:CreateApprovalRuleTemplate', 'codecommit:DeleteApprovalRuleTemplate', 'codecommit:UpdateApprovalRuleTemplateContent', 'codecommit:UpdateApprovalRuleTemplateDescription', 'codecommit:UpdateApprovalRuleTemplateName'],
      Resource: '*',
    },
  ];
  const runtimeRoles = a.roles.slice(1);
  if (runtimeRoles.length) {
    out.push({ Sid: 'ManageRuntimeRolePolicies', Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'], Resource: runtimeRoles });
  }
  if (a.repositories.length) {
    out.push({
      Sid: 'ManageRepositories',
      Effect: 'Allow',
      Action: [
        'codecommit:CreateRepository',
        'codecommit:DeleteRepository',
        'codecommit:UpdateRepositoryDescription',
        'codecommit:UpdateDefaultBranch',
        'codecommit:UpdateRepositoryEncryptionKey',
        'codecommit:TagResource',
        'codecommit:UntagResource',
        'codecommit:AssociateApprovalRuleTemplateWithRepository',
        'codecommit:DisassociateApprovalRuleTemplateFromRepository',
      ],
      Resource: a.repositories,
    });
  }
  return out;
}

/**
 * Audit findings these statements cannot avoid, by rule and detail: KMS keys and connections get
 * ids AWS picks, so their statements name `key/*` / `connection/*` and narrow them by condition
 * (the state key's alias, Gantry's tag), which the auditor cannot see as a resource scope.
 */
export const CONDITION_SCOPED_FINDINGS = {
  plan: {
    'iam/data-exfiltration-on-star': ['kms:Decrypt'],
    'iam/write-on-star': ['kms:GenerateDataKey'],
    'iam/resource-star': ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'codestar-connections:GetConnection', 'codestar-connections:ListTagsForResource'],
  },
  apply: {
    'iam/data-exfiltration-on-star': ['kms:Decrypt'],
    'iam/permissions-management-on-star': ['kms:PutKeyPolicy'],
    'iam/write-on-star': [
      'kms:GenerateDataKey',
      'kms:Encrypt',
      'kms:CreateAlias',
      'kms:DeleteAlias',
      'kms:UpdateAlias',
      'kms:EnableKeyRotation',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:UpdateKeyDescription',
      'codestar-connections:DeleteConnection',
      'codestar-connections:TagResource',
      'codestar-connections:UntagResource',
    ],
    'iam/resource-star': ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'codestar-connections:GetConnection', 'codestar-connections:ListTagsForResource'],
  },
} as const;

/** Privilege-escalation paths inherent to a role whose job is to create and change roles. */
export const APPLY_ROLE_ESCALATION_PATHS = ['PutRolePolicy', 'PutRolePolicyThenUpdateAssumeRolePolicy', 'UpdateRolePolicyToAssumeIt'] as const;
