/**
 * One application's delivery pipeline, on the S3 backend the bootstrap stack provides:
 * key, artifact bucket, source, build and pull-request check, CodeDeploy application and
 * groups, the pipeline with its approvals, and the EventBridge rules that start it and report
 * its failures.
 */
import { S3Backend, type TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import type { ApplicationConfig, EnvironmentConfig, GantryConfig } from './config/schema';
import { DEFAULT_DEPLOYMENT_CONFIG } from './config/schema';
import { BuildProject } from './constructs/build-project';
import { CodeCommitSource } from './constructs/codecommit-source';
import { ConnectionSource } from './constructs/connection-source';
import { DeliveryPipeline, pipelineArtifactPrefix } from './constructs/delivery-pipeline';
import { DeployApplication } from './constructs/deploy-application';
import type { DeployTarget } from './constructs/deploy/deploy-target';
import { EcsTarget } from './constructs/deploy/ecs-target';
import { LambdaPublisher } from './constructs/deploy/lambda-publisher';
import { LambdaTarget } from './constructs/deploy/lambda-target';
import { ServerTarget } from './constructs/deploy/server-target';
import { EncryptionKey } from './constructs/encryption-key';
import { EnvironmentAccess } from './constructs/environment-access';
import { InstanceRole } from './constructs/instance-role';
import { StandardAlarms } from './constructs/standard-alarms';
import { EventRule } from './constructs/event-rule';
import { NotificationTopic } from './constructs/notification-topic';
import { PullRequestCheck } from './constructs/pull-request-check';
import { SecureBucket } from './constructs/secure-bucket';
import { AwsEnv } from './lib/aws-env';
import { stateKey, stateKeyAlias } from './lib/naming';
import { readableLogicalId } from './lib/logical-id';
import { awsProvider } from './lib/provider';

/** The Lambda publisher project of an application (one for all its environments). */
export const publishProjectName = (base: string) => `${base}-publish`;

/** The deploy target of one environment, for the application's platform (the config guarantees it is there). */
export function deployTargetFor(app: ApplicationConfig, e: EnvironmentConfig, publisher?: { name: string; arn: string }): DeployTarget {
  switch (app.deploy.platform) {
    case 'server':
      return new ServerTarget(e.server!);
    case 'lambda':
      if (!publisher) throw new Error(`application ${app.name}: a Lambda target needs the publisher project`);
      return new LambdaTarget({ ...e.lambda!, publishProjectName: publisher.name, publishProjectArn: publisher.arn });
    case 'ecs':
      return new EcsTarget(e.ecs!);
  }
}

export class ApplicationStack extends TerraformStack {
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
  readonly source: CodeCommitSource | ConnectionSource;
  readonly build: BuildProject;
  readonly pullRequestCheck: PullRequestCheck;
  readonly deploy: DeployApplication;
  readonly tests: { name: string; project: BuildProject }[] = [];
  readonly publisher?: LambdaPublisher;
  /** Per server environment: the EC2 instance role and profile. */
  readonly instanceRoles: Record<string, InstanceRole> = {};
  /** Per environment with a runtime role: its config read policy. */
  readonly runtimeAccess: Record<string, EnvironmentAccess> = {};
  readonly alarms: Record<string, StandardAlarms> = {};
  readonly pipeline: DeliveryPipeline;
  readonly alertsTopic: NotificationTopic;
  readonly approvalTopic?: NotificationTopic;
  readonly pushTrigger?: EventRule;
  readonly failureAlerts: EventRule;

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return readableLogicalId(element);
  }

  constructor(scope: Construct, id: string, config: GantryConfig, app: ApplicationConfig) {
    super(scope, id);
    const base = `${config.prefix}-${app.name}`;
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: stateKey(config, app),
      region: config.region,
      dynamodbTable: config.state.lockTable,
      encrypt: true,
      kmsKeyId: `alias/${stateKeyAlias(config)}`,
    });
    // cdktf 0.21's S3Backend has no use_lockfile (Terraform ≥ 1.10): S3-native locking next to DynamoDB's.
    if (config.state.useLockfile) this.addOverride('terraform.backend.s3.use_lockfile', true);
    awsProvider(this, config, { GantryStack: id, GantryApplication: app.name });
    const env = AwsEnv.forStack(this, config.region, config.accountId);

    this.key = new EncryptionKey(this, 'key', { env, alias: base, description: `Encrypts ${app.name}'s artifacts, repository, builds, logs and topics` });
    this.artifacts = new SecureBucket(this, 'artifacts', {
      env,
      bucketName: `${base}-art-${env.account}`,
      encryptionKey: this.key,
      expirationDays: 90,
      noncurrentVersionExpirationDays: 30,
    });

    const src = app.source;
    this.source =
      src.type === 'codecommit'
        ? new CodeCommitSource(this, 'source', {
            env,
            repositoryName: src.repositoryName ?? base,
            description: src.description ?? `${app.name} application source`,
            defaultBranch: src.defaultBranch,
            requiredApprovals: src.requiredApprovals,
            encryptionKey: this.key,
          })
        : new ConnectionSource(this, 'source', { connectionName: base, provider: src.provider, repository: src.repository, branch: src.branch, connectionArn: src.connectionArn });

    const b = app.build;
    this.build = new BuildProject(this, 'build', {
      env,
      projectName: `${base}-build`,
      description: `Builds and tests ${app.name}`,
      encryptionKey: this.key,
      artifactBucket: this.artifacts,
      computeType: b.computeType,
      image: b.image,
      timeoutMinutes: b.timeoutMinutes,
      buildspec: b.buildspec,
      cache: b.cache,
      environmentVariables: b.environment,
      reportGroups: [b.reportGroup.name],
    });

    this.pullRequestCheck = new PullRequestCheck(this, 'pr-check', {
      env,
      projectName: `${base}-pr-check`,
      source: this.source,
      encryptionKey: this.key,
      artifactBucket: this.artifacts,
      computeType: b.computeType,
      image: b.image,
    });

    for (const t of app.tests) {
      this.tests.push({
        name: t.name,
        project: new BuildProject(this, `test-${t.name}`, {
          env,
          projectName: `${base}-test-${t.name}`,
          description: `Runs ${app.name}'s ${t.name} tests`,
          encryptionKey: this.key,
          artifactBucket: this.artifacts,
          computeType: t.computeType ?? b.computeType,
          image: b.image,
          timeoutMinutes: t.timeoutMinutes,
          buildspec: t.buildspec,
          cache: b.cache,
          reportGroups: [b.reportGroup.name],
        }),
      });
    }

    if (app.environments.some((e) => e.approval)) {
      this.approvalTopic = new NotificationTopic(this, 'approvals', {
        env,
        topicName: `${base}-approvals`,
        displayName: `${app.name} deployment approvals`,
        encryptionKey: this.key,
        emails: config.notifications.approvers,
      });
    }
    this.alertsTopic = new NotificationTopic(this, 'alerts', {
      env,
      topicName: `${base}-alerts`,
      displayName: `${app.name} pipeline alerts`,
      encryptionKey: this.key,
      emails: config.notifications.alerts,
    });

    const d = app.deploy;
    if (d.platform === 'lambda') {
      this.publisher = new LambdaPublisher(this, 'publish', {
        env,
        projectName: publishProjectName(base),
        encryptionKey: this.key,
        artifactBucket: this.artifacts,
        functionNames: app.environments.map((e) => e.lambda!.functionName),
      });
    }
    const publisher = this.publisher ? { name: this.publisher.project.projectName, arn: this.publisher.project.arn } : undefined;

    const environments = app.environments.map((e) => {
      const sa = e.standardAlarms;
      let created: string[] = [];
      if (sa.http5xxRate || sa.unhealthyHosts || sa.lambdaErrors) {
        const alarms = new StandardAlarms(this, `alarms-${e.name}`, {
          env,
          namePrefix: `${base}-${e.name}`,
          alertsTopicArn: this.alertsTopic.arn,
          http5xxRate: sa.http5xxRate,
          unhealthyHosts: sa.unhealthyHosts,
          lambdaErrors: sa.lambdaErrors && e.lambda ? { functionName: e.lambda.functionName, threshold: sa.lambdaErrors.threshold } : undefined,
        });
        this.alertsTopic.allowCloudWatchAlarms(alarms.alarmArns);
        this.alarms[e.name] = alarms;
        created = alarms.alarmNames;
      }
      if (d.platform === 'server') {
        this.instanceRoles[e.name] = new InstanceRole(this, `instance-${e.name}`, {
          env,
          roleName: `${base}-${e.name}-instance`.slice(0, 64),
          application: app.configName ?? app.name,
          environment: e.name,
          encryptionKey: this.key,
          artifactBucket: this.artifacts,
          artifactPrefix: pipelineArtifactPrefix(base),
        });
      } else if (e.runtimeRoleName) {
        this.runtimeAccess[e.name] = new EnvironmentAccess(this, `runtime-${e.name}`, {
          env,
          encryptionKey: this.key,
          application: app.configName ?? app.name,
          environment: e.name,
          roleName: e.runtimeRoleName,
          policyPrefix: base,
        });
      }
      return { name: e.name, target: deployTargetFor(app, e, publisher), alarms: [...new Set([...d.alarms, ...e.alarms, ...created])] };
    });

    this.deploy = new DeployApplication(this, 'deploy', {
      env,
      applicationName: base,
      computePlatform: d.platform === 'server' ? 'Server' : d.platform === 'lambda' ? 'Lambda' : 'ECS',
      deploymentConfig: d.deploymentConfig ?? DEFAULT_DEPLOYMENT_CONFIG[d.platform],
      autoRollback: d.autoRollback,
      environments,
    });

    this.pipeline = new DeliveryPipeline(this, 'pipeline', {
      env,
      pipelineName: base,
      artifactBucket: this.artifacts,
      encryptionKey: this.key,
      source: this.source,
      build: this.build,
      tests: this.tests,
      helperProjects: this.publisher ? [this.publisher.project] : [],
      deploy: this.deploy,
      environments: app.environments,
      approvalTopic: this.approvalTopic,
    });

    if (this.source instanceof CodeCommitSource) {
      this.pushTrigger = new EventRule(this, 'push-trigger', {
        env,
        ruleName: `${base}-push`,
        description: `Starts ${base} on pushes to ${this.source.branch} of ${this.source.repositoryName}`,
        eventPattern: {
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Repository State Change'],
          resources: [this.source.arn],
          detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: [this.source.branch] },
        },
        targetArn: this.pipeline.pipeline.arn,
        targetId: 'start-pipeline',
        roleStatements: [this.pipeline.startStatement()],
      });
    }

    const failureRuleName = `${base}-failed`;
    this.failureAlerts = new EventRule(this, 'failure-alerts', {
      env,
      ruleName: failureRuleName,
      description: `Notifies ${this.alertsTopic.topicName} when a ${base} execution fails`,
      eventPattern: {
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [base], state: ['FAILED'] },
      },
      targetArn: this.alertsTopic.topic.arn,
      targetId: 'alerts-topic',
      inputTransformer: {
        inputPaths: { pipeline: '$.detail.pipeline', execution: '$.detail.execution-id', time: '$.time' },
        inputTemplate: '"Pipeline <pipeline> execution <execution> failed at <time>."',
      },
    });
    this.alertsTopic.allowEventRule(this.failureAlerts.arn);

    new TerraformOutput(this, 'pipeline_name', { value: this.pipeline.pipelineName });
    new TerraformOutput(this, 'artifact_bucket', { value: this.artifacts.bucketName });
    new TerraformOutput(this, 'source_url', { value: this.source instanceof CodeCommitSource ? this.source.cloneUrlHttp : this.source.cloneUrl });
    for (const [name, r] of Object.entries(this.instanceRoles)) {
      new TerraformOutput(this, `instance_profile_${name}`, { value: r.profile.name, description: `Instance profile for ${app.name} ${name} instances (CodeDeploy agent + application)` });
    }
    if (this.source instanceof ConnectionSource && this.source.connection) {
      new TerraformOutput(this, 'connection_arn', { value: this.source.connectionArn, description: 'Authorise this connection once in the console (status PENDING until then)' });
    }
  }
}
