/**
 * The Gantry configuration: what a platform team declares once (prefix, region, state backend,
 * notification lists, applications) and what every stack is built from.
 *
 * `GantryConfigInput` is what people write (defaults optional); `GantryConfig` is what the stacks
 * receive after `validateConfig` has filled the defaults in.
 */
import { z } from 'zod';

export const COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
] as const;

export const CACHE_MODES = ['LOCAL_SOURCE_CACHE', 'LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_CUSTOM_CACHE'] as const;
export const CONNECTION_PROVIDERS = ['GitHub', 'GitLab', 'Bitbucket'] as const;

const name = (max: number) =>
  z.string().regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 2}}[a-z0-9]$`), {
    message: `2 to ${max} lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
  });

const region = z.string().regex(/^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)(-[a-z]+)+-\d$/, { message: 'an AWS region code such as eu-west-1' });
const email = z.email({ message: 'an e-mail address' });
const arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/, { message: 'an ARN (arn:aws:<service>:<region>:<account>:<resource>)' });

const codeCommitSource = z.strictObject({
  type: z.literal('codecommit'),
  /** Repository name. @default - `<prefix>-<application>` */
  repositoryName: z.string().regex(/^[\w.-]{1,100}$/, { message: 'letters, digits, ".", "_" and "-", at most 100 characters' }).optional(),
  /** @default - "<application> application source" */
  description: z.string().max(1000).optional(),
  /** @default "main" */
  defaultBranch: z.string().min(1).max(256).default('main'),
  /** Approvals a pull request into the default branch needs. @default 2 */
  requiredApprovals: z.int().min(1).max(25).default(2),
});

const connectionSource = z.strictObject({
  type: z.literal('connection'),
  provider: z.enum(CONNECTION_PROVIDERS),
  /** `owner/repository` on the provider. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'owner/repository' }),
  /** @default "main" */
  branch: z.string().min(1).max(256).default('main'),
  /** An existing, already authorised connection. @default - a new connection (authorise it once in the console) */
  connectionArn: arn.optional(),
});

const envVar = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'a shell variable name' }),
  /** plaintext: the value itself; parameter-store: a parameter name (`/app/key`); secrets-manager: a secret name (optionally `name:json-key`). */
  type: z.enum(['plaintext', 'parameter-store', 'secrets-manager']).default('plaintext'),
  value: z.string().min(1),
});

const cache = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('s3') }),
  z.strictObject({ type: z.literal('local'), modes: z.array(z.enum(CACHE_MODES)).min(1).default(['LOCAL_SOURCE_CACHE', 'LOCAL_CUSTOM_CACHE']) }),
  z.strictObject({ type: z.literal('none') }),
]);

const build = z.strictObject({
  /** @default "BUILD_GENERAL1_SMALL" */
  computeType: z.enum(COMPUTE_TYPES).default('BUILD_GENERAL1_SMALL'),
  /** @default "aws/codebuild/standard:7.0" */
  image: z.string().min(1).default('aws/codebuild/standard:7.0'),
  /** @default 60 */
  timeoutMinutes: z.int().min(5).max(2160).default(60),
  /** @default "buildspec.yml" */
  buildspec: z.string().min(1).default('buildspec.yml'),
  /** @default - S3 cache under the artifact bucket */
  cache: cache.default({ type: 's3' }),
  /** @default - none */
  environment: z.array(envVar).default([]),
  /** JUnit report group; the buildspec's `reports:` section names it. @default - a report group named "junit" */
  reportGroup: z
    .strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, { message: 'letters, digits, "_" and "-", 2 to 64 characters' }).default('junit') })
    .default({ name: 'junit' }),
});

const tagFilter = z.strictObject({ key: z.string().min(1), value: z.string().min(1) });

const serverTarget = z
  .strictObject({
    /** EC2 instances carrying all these tags. */
    ec2TagFilters: z.array(tagFilter).min(1).optional(),
    /** Auto Scaling group names. */
    autoScalingGroups: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((t) => t.ec2TagFilters || t.autoScalingGroups, { message: 'needs ec2TagFilters or autoScalingGroups' });

const lambdaTarget = z.strictObject({
  functionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'a Lambda function name' }),
  /** @default "live" */
  alias: z.string().min(1).default('live'),
});

const ecsTarget = z.strictObject({
  cluster: z.string().min(1),
  service: z.string().min(1),
  /** Blue and green target group names, in that order. */
  targetGroups: z.tuple([z.string().min(1), z.string().min(1)]),
  productionListenerArn: arn,
  /** @default - no test listener */
  testListenerArn: arn.optional(),
  /** Task roles the pipeline may pass to ECS when it registers the task definition. */
  taskRoleNames: z.array(z.string().min(1)).default([]),
  /** Task definition family the build's taskdef.json registers. @default - the service name */
  taskDefinitionFamily: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { message: 'a task definition family name' }).optional(),
});

const environment = z.strictObject({
  name: name(20),
  /** A manual approval precedes the deployment to this environment. @default false */
  approval: z.boolean().default(false),
  /** CloudWatch alarm names (in addition to `deploy.alarms`) that stop and roll back deployments here. @default - none */
  alarms: z.array(z.string().min(1)).default([]),
  server: serverTarget.optional(),
  lambda: lambdaTarget.optional(),
  ecs: ecsTarget.optional(),
});

export const DEFAULT_DEPLOYMENT_CONFIG = {
  server: 'CodeDeployDefault.OneAtATime',
  lambda: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  ecs: 'CodeDeployDefault.ECSAllAtOnce',
} as const;

const deploy = z.strictObject({
  platform: z.enum(['server', 'lambda', 'ecs']),
  /** CodeDeploy deployment configuration name. @default - OneAtATime (server), LambdaCanary10Percent5Minutes (lambda), ECSAllAtOnce (ecs) */
  deploymentConfig: z.string().regex(/^[A-Za-z0-9.+_-]{1,100}$/, { message: 'a CodeDeploy deployment configuration name' }).optional(),
  /** Roll back failed deployments (and, where alarms are set, deployments stopped by an alarm). @default true */
  autoRollback: z.boolean().default(true),
  /** CloudWatch alarm names watched in every environment. @default - none */
  alarms: z.array(z.string().min(1)).default([]),
});

const application = z
  .strictObject({
    name: name(24),
    source: z.discriminatedUnion('type', [codeCommitSource, connectionSource]),
    build: build.default(build.parse({})),
    deploy,
    environments: z.array(environment).min(1).max(10),
  })
  .superRefine((app, ctx) => {
    const seen = new Set<string>();
    app.environments.forEach((env, i) => {
      if (seen.has(env.name)) ctx.addIssue({ code: 'custom', path: ['environments', i, 'name'], message: `duplicate environment name "${env.name}"` });
      seen.add(env.name);
      const platform = app.deploy.platform;
      if (!env[platform]) ctx.addIssue({ code: 'custom', path: ['environments', i, platform], message: `required: the deploy target for platform "${platform}"` });
      for (const other of ['server', 'lambda', 'ecs'] as const) {
        if (other !== platform && env[other]) ctx.addIssue({ code: 'custom', path: ['environments', i, other], message: `not allowed: deploy.platform is "${platform}"` });
      }
    });
  });

export const gantryConfigSchema = z
  .strictObject({
    /** Prefix of every resource name. */
    prefix: name(16),
    region,
    /** The account the stacks deploy to. @default - looked up with aws_caller_identity at plan time (needs AWS credentials) */
    accountId: z.string().regex(/^\d{12}$/, { message: 'a 12-digit AWS account id' }).optional(),
    /** Tags applied to every resource (provider default_tags). @default - none besides Gantry's own */
    tags: z.record(z.string().regex(/^[\w .:/=+@-]{1,128}$/, { message: 'a tag key' }), z.string().max(256)).default({}),
    state: z.strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")' }),
      lockTable: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'a DynamoDB table name (3-255 letters, digits, "_", "-", ".")' }),
      /** S3-native lock file next to the DynamoDB lock. @default true */
      useLockfile: z.boolean().default(true),
      /** Where the bootstrap stack keeps its own state: `local` for the first deploy, `s3` after migrating it into the bucket it created (see README). @default "local" */
      bootstrapBackend: z.enum(['local', 's3']).default('local'),
    }),
    notifications: z.strictObject({
      /** Receive manual-approval requests. */
      approvers: z.array(email).default([]),
      /** Receive failed-pipeline alerts. */
      alerts: z.array(email).default([]),
    }),
    applications: z.array(application).min(1),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.applications.forEach((app, i) => {
      if (seen.has(app.name)) ctx.addIssue({ code: 'custom', path: ['applications', i, 'name'], message: `duplicate application name "${app.name}"` });
      seen.add(app.name);
    });
    const approving = cfg.applications.filter((a) => a.environments.some((e) => e.approval)).map((a) => `"${a.name}"`);
    if (approving.length && cfg.notifications.approvers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['notifications', 'approvers'], message: `needs at least one e-mail: ${approving.join(', ')} ha${approving.length === 1 ? 's' : 've'} manual approvals` });
    }
  });

export type GantryConfigInput = z.input<typeof gantryConfigSchema>;
export type GantryConfig = z.output<typeof gantryConfigSchema>;
export type ApplicationConfig = GantryConfig['applications'][number];
export type EnvironmentConfig = ApplicationConfig['environments'][number];
export type BuildConfig = ApplicationConfig['build'];
export type DeployConfig = ApplicationConfig['deploy'];
export type Platform = DeployConfig['platform'];
export type SourceConfig = ApplicationConfig['source'];

/** Typed identity for `gantry.config.ts`: editors check the declaration as it is written. */
export function defineConfig(config: GantryConfigInput): GantryConfigInput {
  return config;
}
