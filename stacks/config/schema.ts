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

/**
 * Blue/green for EC2: CodeDeploy shifts the load balancer's target group from the original
 * (blue) instances to replacement (green) instances that already exist. The green fleet option is
 * always DISCOVER_EXISTING: COPY_AUTO_SCALING_GROUP makes CodeDeploy create a new Auto Scaling
 * group that Terraform does not know about (and deletes the one Terraform manages), so every plan
 * afterwards shows drift. With DISCOVER_EXISTING, Terraform keeps owning both groups.
 */
const serverBlueGreen = z.strictObject({
  /** Target group (name) of the load balancer that serves the application. */
  targetGroup: z.string().min(1),
  /** What happens to the original instances once traffic has moved. @default "terminate" */
  originalInstances: z.enum(['terminate', 'keep-alive']).default('terminate'),
  /** Minutes the original instances keep running after a successful deployment (terminate only). @default 60 */
  terminationWaitMinutes: z.int().min(0).max(2880).default(60),
  /** Minutes to wait for someone to reroute traffic manually; 0 reroutes as soon as the green fleet is ready. @default 0 */
  readyWaitMinutes: z.int().min(0).max(2880).default(0),
});

const serverTarget = z
  .strictObject({
    /** EC2 instances carrying all these tags. */
    ec2TagFilters: z.array(tagFilter).min(1).optional(),
    /** Auto Scaling group names. */
    autoScalingGroups: z.array(z.string().min(1)).min(1).optional(),
    /** Deploy blue/green behind a load balancer target group. @default - in place */
    blueGreen: serverBlueGreen.optional(),
    /** In place, but take each instance out of this target group while it is updated. @default - no load balancer */
    inPlaceTargetGroup: z.string().min(1).optional(),
  })
  .refine((t) => t.ec2TagFilters || t.autoScalingGroups, { message: 'needs ec2TagFilters or autoScalingGroups' })
  .refine((t) => !(t.blueGreen && t.inPlaceTargetGroup), { message: 'blueGreen and inPlaceTargetGroup exclude each other (blue/green names its own target group)' });

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
  /** Minutes the original (blue) task set keeps running after traffic has moved. @default 5 */
  terminationWaitMinutes: z.int().min(0).max(2880).default(5),
  /** Paths in the build output of the task definition and appspec templates the CodeDeployToECS action reads. @default "taskdef.json", "appspec.yaml" */
  taskDefinitionTemplatePath: z.string().min(1).default('taskdef.json'),
  appSpecTemplatePath: z.string().min(1).default('appspec.yaml'),
});

const loadBalancerDims = {
  /** The load balancer's CloudWatch dimension: the end of its ARN, `app/<name>/<id>`. */
  loadBalancer: z.string().regex(/^app\/[\w-]+\/[0-9a-f]+$/, { message: 'app/<name>/<id> (the end of the load balancer ARN)' }),
  /** The target group's CloudWatch dimension: the end of its ARN, `targetgroup/<name>/<id>`. */
  targetGroup: z.string().regex(/^targetgroup\/[\w-]+\/[0-9a-f]+$/, { message: 'targetgroup/<name>/<id> (the end of the target group ARN)' }),
};

/** Standard CloudWatch alarms Gantry creates for an environment; each notifies the alerts topic and stops (and rolls back) deployments. */
const standardAlarms = z.strictObject({
  /** Target 5xx responses as a percentage of requests, over 1-minute periods. */
  http5xxRate: z.strictObject({ ...loadBalancerDims, /** @default 5 */ thresholdPercent: z.number().gt(0).max(100).default(5) }).optional(),
  /** Unhealthy targets in the target group. */
  unhealthyHosts: z.strictObject({ ...loadBalancerDims, /** @default 1 */ threshold: z.int().min(1).default(1) }).optional(),
  /** Errors of the environment's Lambda function (lambda platform only). */
  lambdaErrors: z.strictObject({ /** @default 1 */ threshold: z.int().min(1).default(1) }).optional(),
});

const environment = z.strictObject({
  name: name(20),
  /** A manual approval precedes the deployment to this environment. @default false */
  approval: z.boolean().default(false),
  /** CloudWatch alarm names (in addition to `deploy.alarms`) that stop and roll back deployments here. @default - none */
  alarms: z.array(z.string().min(1)).default([]),
  /** Alarms Gantry creates here and wires to the deployment group. @default - none */
  standardAlarms: standardAlarms.default({}),
  /**
   * The role the running application uses (ECS task role, Lambda execution role); Gantry gives it
   * read access to this environment's parameters (`/<app>/<env>/*`) and secrets (`<app>/<env>/*`)
   * and nothing else. Server environments get their own instance role instead.
   * @default - none
   */
  runtimeRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { message: 'an IAM role name' }).optional(),
  server: serverTarget.optional(),
  lambda: lambdaTarget.optional(),
  ecs: ecsTarget.optional(),
});

export const DEFAULT_DEPLOYMENT_CONFIG = {
  server: 'CodeDeployDefault.OneAtATime',
  lambda: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  ecs: 'CodeDeployDefault.ECSAllAtOnce',
} as const;

/** A deployment configuration Gantry creates (aws_codedeploy_deployment_config). */
const customDeploymentConfig = z.discriminatedUnion('type', [
  /** Server: keep at least this many healthy instances (HOST_COUNT) or this percentage (FLEET_PERCENT). */
  z.strictObject({ type: z.literal('minimum-healthy-hosts'), unit: z.enum(['HOST_COUNT', 'FLEET_PERCENT']), value: z.int().min(0) }),
  /** Lambda / ECS: shift `percentage` first, the rest after `intervalMinutes`. */
  z.strictObject({ type: z.literal('canary'), percentage: z.int().min(1).max(99), intervalMinutes: z.int().min(1).max(2880) }),
  /** Lambda / ECS: shift `percentage` every `intervalMinutes` until all traffic has moved. */
  z.strictObject({ type: z.literal('linear'), percentage: z.int().min(1).max(99), intervalMinutes: z.int().min(1).max(2880) }),
]);
export type CustomDeploymentConfig = z.output<typeof customDeploymentConfig>;

/** Predefined configurations per platform (CodeDeploy User Guide, "Working with deployment configurations"). */
export const PREDEFINED_DEPLOYMENT_CONFIGS = {
  server: ['CodeDeployDefault.AllAtOnce', 'CodeDeployDefault.HalfAtATime', 'CodeDeployDefault.OneAtATime'],
  ecs: [
    'CodeDeployDefault.ECSAllAtOnce',
    'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
    'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
    'CodeDeployDefault.ECSCanary10Percent5Minutes',
    'CodeDeployDefault.ECSCanary10Percent15Minutes',
  ],
  lambda: [
    'CodeDeployDefault.LambdaAllAtOnce',
    'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    'CodeDeployDefault.LambdaCanary10Percent10Minutes',
    'CodeDeployDefault.LambdaCanary10Percent15Minutes',
    'CodeDeployDefault.LambdaCanary10Percent30Minutes',
    'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
    'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
    'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
  ],
} as const;

const deploy = z.strictObject({
  platform: z.enum(['server', 'lambda', 'ecs']),
  /**
   * A CodeDeploy deployment configuration: a predefined or existing one by name, or a custom one
   * Gantry creates. @default - OneAtATime (server), LambdaCanary10Percent5Minutes (lambda), ECSAllAtOnce (ecs)
   */
  deploymentConfig: z.union([z.string().regex(/^[A-Za-z0-9.+_-]{1,100}$/, { message: 'a CodeDeploy deployment configuration name' }), customDeploymentConfig]).optional(),
  /** Roll back failed deployments (and, where alarms are set, deployments stopped by an alarm). @default true */
  autoRollback: z.boolean().default(true),
  /** CloudWatch alarm names watched in every environment. @default - none */
  alarms: z.array(z.string().min(1)).default([]),
});

/** A test action of the Test stage; all of them run side by side on the source. */
const testAction = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, { message: '2 to 20 lower-case letters, digits and hyphens' }),
  /** Buildspec path in the source. */
  buildspec: z.string().min(1),
  /** @default - the build's compute type */
  computeType: z.enum(COMPUTE_TYPES).optional(),
  /** @default 30 */
  timeoutMinutes: z.int().min(5).max(2160).default(30),
});

const application = z
  .strictObject({
    name: name(24),
    source: z.discriminatedUnion('type', [codeCommitSource, connectionSource]),
    build: build.default(build.parse({})),
    /**
     * The application's name in its runtime configuration: Parameter Store path `/<configName>/<env>/…`
     * and Secrets Manager prefix `<configName>/<env>/`. @default - the application name
     */
    configName: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'letters, digits, ".", "_" and "-", at most 64 characters' }).optional(),
    /** Test actions run in parallel in a Test stage after Build (e.g. unit and integration). @default - no Test stage */
    tests: z.array(testAction).max(10).default([]),
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
      if (env.standardAlarms.lambdaErrors && platform !== 'lambda') ctx.addIssue({ code: 'custom', path: ['environments', i, 'standardAlarms', 'lambdaErrors'], message: 'only for deploy.platform "lambda"' });
      if (platform === 'lambda') {
        for (const k of ['http5xxRate', 'unhealthyHosts'] as const) {
          if (env.standardAlarms[k]) ctx.addIssue({ code: 'custom', path: ['environments', i, 'standardAlarms', k], message: 'not for deploy.platform "lambda" (no load balancer); use lambdaErrors' });
        }
      }
      if (platform === 'server' && env.runtimeRoleName) ctx.addIssue({ code: 'custom', path: ['environments', i, 'runtimeRoleName'], message: 'not for deploy.platform "server": Gantry creates the instance role' });
    });
    const dc = app.deploy.deploymentConfig;
    const platform = app.deploy.platform;
    if (typeof dc === 'object') {
      if ((dc.type === 'minimum-healthy-hosts') !== (platform === 'server')) {
        ctx.addIssue({ code: 'custom', path: ['deploy', 'deploymentConfig', 'type'], message: platform === 'server' ? 'server deployments use "minimum-healthy-hosts"' : `"${platform}" deployments use "canary" or "linear"` });
      }
      if (dc.type === 'minimum-healthy-hosts' && dc.unit === 'FLEET_PERCENT' && dc.value > 99) ctx.addIssue({ code: 'custom', path: ['deploy', 'deploymentConfig', 'value'], message: 'at most 99 (percent)' });
    } else if (typeof dc === 'string' && dc.startsWith('CodeDeployDefault.') && !(PREDEFINED_DEPLOYMENT_CONFIGS[platform] as readonly string[]).includes(dc)) {
      ctx.addIssue({ code: 'custom', path: ['deploy', 'deploymentConfig'], message: `not a predefined "${platform}" configuration; use one of ${PREDEFINED_DEPLOYMENT_CONFIGS[platform].join(', ')}` });
    }
    const tests = new Set<string>();
    app.tests.forEach((t, i) => {
      if (tests.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tests', i, 'name'], message: `duplicate test name "${t.name}"` });
      tests.add(t.name);
    });
  });

/**
 * The infrastructure pipeline (one, for Gantry's own stacks): source → synth + audit → plan per
 * stack (saved) → manual approval showing the audit summary and cost delta → apply of the saved plans.
 */
const infrastructure = z.strictObject({
  /** Where Gantry's own code (this repository) lives: an existing CodeCommit repository or a connection. */
  source: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('codecommit'),
      repositoryName: z.string().regex(/^[\w.-]{1,100}$/, { message: 'letters, digits, ".", "_" and "-", at most 100 characters' }),
      /** @default "main" */
      branch: z.string().min(1).max(256).default('main'),
    }),
    connectionSource,
  ]),
  /** Monthly cost budget in USD: the audit fails the pipeline above it. */
  budget: z.number().positive(),
  /** Receive the approval request (audit summary and cost delta) before anything is applied. */
  approvers: z.array(email).min(1),
  /** Application names whose stacks the pipeline plans and applies, in this order. @default - every application */
  stacks: z.array(z.string().min(1)).min(1).optional(),
  /** Terraform version the plan and apply projects install (checksum-verified). @default "1.11.4" */
  terraformVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { message: 'a Terraform version such as 1.11.4' }).default('1.11.4'),
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
    /** Gantry's own infrastructure pipeline. @default - none */
    infrastructure: infrastructure.optional(),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.applications.forEach((app, i) => {
      if (seen.has(app.name)) ctx.addIssue({ code: 'custom', path: ['applications', i, 'name'], message: `duplicate application name "${app.name}"` });
      seen.add(app.name);
    });
    cfg.infrastructure?.stacks?.forEach((name, i) => {
      if (!seen.has(name)) ctx.addIssue({ code: 'custom', path: ['infrastructure', 'stacks', i], message: `no application named "${name}"` });
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
export type InfrastructureConfig = NonNullable<GantryConfig['infrastructure']>;

/** Typed identity for `gantry.config.ts`: editors check the declaration as it is written. */
export function defineConfig(config: GantryConfigInput): GantryConfigInput {
  return config;
}
