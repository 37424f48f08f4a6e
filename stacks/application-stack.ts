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
import { DeliveryPipeline } from './constructs/delivery-pipeline';
import { DeployApplication } from './constructs/deploy-application';
import type { DeployTarget } from './constructs/deploy/deploy-target';
import { EcsTarget } from './constructs/deploy/ecs-target';
import { LambdaTarget } from './constructs/deploy/lambda-target';
import { ServerTarget } from './constructs/deploy/server-target';
import { EncryptionKey } from './constructs/encryption-key';
import { EventRule } from './constructs/event-rule';
import { NotificationTopic } from './constructs/notification-topic';
import { PullRequestCheck } from './constructs/pull-request-check';
import { SecureBucket } from './constructs/secure-bucket';
import { AwsEnv } from './lib/aws-env';
import { stateKey, stateKeyAlias } from './lib/naming';
import { readableLogicalId } from './lib/logical-id';
import { awsProvider } from './lib/provider';

/** The deploy target of one environment, for the application's platform (the config guarantees it is there). */
export function deployTargetFor(app: ApplicationConfig, e: EnvironmentConfig): DeployTarget {
  switch (app.deploy.platform) {
    case 'server':
      return new ServerTarget(e.server!);
    case 'lambda':
      return new LambdaTarget(e.lambda!);
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

    const d = app.deploy;
    this.deploy = new DeployApplication(this, 'deploy', {
      env,
      applicationName: base,
      computePlatform: d.platform === 'server' ? 'Server' : d.platform === 'lambda' ? 'Lambda' : 'ECS',
      deploymentConfigName: d.deploymentConfig ?? DEFAULT_DEPLOYMENT_CONFIG[d.platform],
      autoRollback: d.autoRollback,
      environments: app.environments.map((e) => ({ name: e.name, target: deployTargetFor(app, e), alarms: [...new Set([...d.alarms, ...e.alarms])] })),
    });

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

    this.pipeline = new DeliveryPipeline(this, 'pipeline', {
      env,
      pipelineName: base,
      artifactBucket: this.artifacts,
      encryptionKey: this.key,
      source: this.source,
      build: this.build,
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
    if (this.source instanceof ConnectionSource && this.source.connection) {
      new TerraformOutput(this, 'connection_arn', { value: this.source.connectionArn, description: 'Authorise this connection once in the console (status PENDING until then)' });
    }
  }
}
