/**
 * The infrastructure pipeline: Gantry's own stacks ship through
 * Source → Audit (synth + `gantry audit`, fail on high, budget) → Plan (`terraform plan -out` per
 * stack, saved as an artifact) → Approve (manual; the notification carries the audit summary and
 * the cost delta) → Apply (`terraform apply` of exactly those saved plans).
 *
 * One role per CodeBuild project: the audit role reads and writes pipeline artifacts only; the
 * plan role adds Describe/Get/List on the stacks' resources and the state lock; the apply role is
 * the only one that may change infrastructure — scoped by name prefix or Gantry's tag, and denied
 * the pipeline's own resources and the state backend's configuration. The stack lives on the same
 * S3 backend as the application stacks and is applied by hand (a pipeline does not apply itself).
 */
import type { CodepipelineStage } from '@cdktf/provider-aws/lib/codepipeline';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { S3Backend, type TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import {
  AUDIT_NAMESPACE,
  APPLIED_PREFIX,
  infrastructureApplyBuildspec,
  infrastructureAuditBuildspec,
  infrastructurePlanBuildspec,
} from './buildspecs/infrastructure';
import type { GantryConfig, InfrastructureConfig } from './config/schema';
import { BuildProject } from './constructs/build-project';
import { ConnectionSource } from './constructs/connection-source';
import { pipelineArtifactPrefix } from './constructs/delivery-pipeline';
import { EncryptionKey } from './constructs/encryption-key';
import { EventRule } from './constructs/event-rule';
import { ExistingRepositorySource } from './constructs/infrastructure/existing-repository-source';
import {
  APPLY_ROLE_ESCALATION_PATHS,
  CONDITION_SCOPED_FINDINGS,
  readStatements,
  stateStatements,
  writeStatements,
  type InfrastructureScope,
} from './constructs/infrastructure/permissions';
import { NotificationTopic } from './constructs/notification-topic';
import { SecureBucket } from './constructs/secure-bucket';
import { ServiceRole } from './constructs/service-role';
import { AwsEnv } from './lib/aws-env';
import { readableLogicalId } from './lib/logical-id';
import { applicationStackName, bootstrapStackName, stateKeyAlias } from './lib/naming';
import { awsProvider } from './lib/provider';
import { suppress } from './lib/suppress';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

export const infrastructureStackName = (c: Pick<GantryConfig, 'prefix'>) => `${c.prefix}-infrastructure`;
/** The S3 key of the infrastructure pipeline stack's state. */
export const infrastructureStateKey = (c: Pick<GantryConfig, 'prefix'>) => `${c.prefix}/infrastructure/terraform.tfstate`;

export const INFRA_ARTIFACTS = { source: 'SourceOutput', audit: 'AuditOutput', plan: 'PlanOutput' } as const;

/** The approval's message: CodePipeline substitutes the Audit action's exported variables. */
export const APPROVAL_CUSTOM_DATA = `Audit: #{${AUDIT_NAMESPACE}.AUDIT_SUMMARY}; monthly cost #{${AUDIT_NAMESPACE}.COST_TOTAL} (delta #{${AUDIT_NAMESPACE}.COST_DELTA}). Approving applies the saved plans of the Plan stage.`;

export class InfrastructurePipelineStack extends TerraformStack {
  readonly key: EncryptionKey;
  readonly artifacts: SecureBucket;
  readonly source: ExistingRepositorySource | ConnectionSource;
  readonly audit: BuildProject;
  readonly plan: BuildProject;
  readonly apply: BuildProject;
  readonly approvalTopic: NotificationTopic;
  readonly pipelineRole: ServiceRole;
  readonly pipeline: Codepipeline;
  readonly pipelineName: string;
  readonly pushTrigger?: EventRule;
  /** The application stacks the pipeline plans and applies, in order. */
  readonly stacks: string[];

  protected allocateLogicalId(element: TerraformElement | Node): string {
    return readableLogicalId(element);
  }

  constructor(scope: Construct, id: string, config: GantryConfig, infra: InfrastructureConfig) {
    super(scope, id);
    const base = id;
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: infrastructureStateKey(config),
      region: config.region,
      dynamodbTable: config.state.lockTable,
      encrypt: true,
      kmsKeyId: `alias/${stateKeyAlias(config)}`,
    });
    if (config.state.useLockfile) this.addOverride('terraform.backend.s3.use_lockfile', true);
    awsProvider(this, config, { GantryStack: id });
    const env = AwsEnv.forStack(this, config.region, config.accountId);

    const applications = infra.stacks ?? config.applications.map((a) => a.name);
    this.stacks = applications.map((name) => applicationStackName(config, { name }));
    const scopeOf: InfrastructureScope = { env, config, applications };

    this.key = new EncryptionKey(this, 'key', { env, alias: base, description: `Encrypts the ${base} pipeline's artifacts, saved plans, logs and approval topic` });
    // No expiry of current objects: the last applied synthesis (the audit's base) must survive quiet months.
    this.artifacts = new SecureBucket(this, 'artifacts', { env, bucketName: `${base}-art-${env.account}`, encryptionKey: this.key, noncurrentVersionExpirationDays: 30 });

    const src = infra.source;
    this.source =
      src.type === 'codecommit'
        ? new ExistingRepositorySource(this, 'source', { env, repositoryName: src.repositoryName, branch: src.branch })
        : new ConnectionSource(this, 'source', { connectionName: base, provider: src.provider, repository: src.repository, branch: src.branch, connectionArn: src.connectionArn });

    this.pipelineName = base;
    const pipelineArn = env.arn('codepipeline', base);
    const artifactPrefix = `${pipelineArtifactPrefix(base)}/*`;
    const pipelineArtifacts = this.artifacts.readWriteStatements(artifactPrefix);
    const project = (name: string, description: string, buildspec: string, computeType: string, timeoutMinutes: number) =>
      new BuildProject(this, name, {
        env,
        projectName: `${base}-${name}`,
        description,
        encryptionKey: this.key,
        artifactBucket: this.artifacts,
        computeType,
        timeoutMinutes,
        buildspec,
        cache: name === 'audit' ? { type: 'local', modes: ['LOCAL_SOURCE_CACHE', 'LOCAL_CUSTOM_CACHE'] } : { type: 'none' },
      });

    this.audit = project(
      'audit',
      `Synthesizes Gantry's stacks and audits them (fail on high, budget ${infra.budget} USD/month)`,
      infrastructureAuditBuildspec({ budgetUsd: infra.budget, artifactBucket: this.artifacts.bucketName }),
      'BUILD_GENERAL1_MEDIUM',
      30,
    );
    this.plan = project('plan', `terraform plan of ${this.stacks.join(', ')}, saved for apply`, infrastructurePlanBuildspec({ stacks: this.stacks, terraformVersion: infra.terraformVersion }), 'BUILD_GENERAL1_SMALL', 60);
    this.apply = project(
      'apply',
      `terraform apply of the saved, approved plans of ${this.stacks.join(', ')}`,
      infrastructureApplyBuildspec({ stacks: this.stacks, terraformVersion: infra.terraformVersion, artifactBucket: this.artifacts.bucketName }),
      'BUILD_GENERAL1_SMALL',
      120,
    );

    const applied = `${this.artifacts.arn}/${APPLIED_PREFIX}/*`;
    const listApplied: import('./lib/policy').Statement = {
      Sid: 'ListAppliedSynthesis',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: this.artifacts.arn,
      Condition: { StringLike: { 's3:prefix': `${APPLIED_PREFIX}/*` } },
    };
    this.audit.grant(...pipelineArtifacts, listApplied, { Sid: 'ReadAppliedSynthesis', Effect: 'Allow', Action: 's3:GetObject', Resource: applied });
    this.plan.grant(...pipelineArtifacts, ...readStatements(scopeOf));

    const ownLogGroups = [this.audit, this.plan, this.apply].map((p) => p.logGroup.arn);
    this.apply.grant(
      ...pipelineArtifacts,
      ...readStatements(scopeOf),
      ...stateStatements(scopeOf),
      listApplied,
      { Sid: 'RecordAppliedSynthesis', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: applied },
      ...writeStatements(scopeOf, {
        arns: [env.roleArn(`${base}-*`), pipelineArn, env.arn('codebuild', `project/${base}-*`), env.arn('sns', `${base}-*`), env.arn('events', `rule/${base}-*`), ...ownLogGroups],
        buckets: [this.artifacts.arn],
        keyStacks: [bootstrapStackName(config), id],
      }),
    );
    suppressConditionScoped(this.plan, 'plan');
    suppressConditionScoped(this.apply, 'apply');
    for (const path of APPLY_ROLE_ESCALATION_PATHS) {
      suppress(
        this.apply.role.role,
        'iam/privilege-escalation',
        `Creating and changing the application stacks' roles (${config.prefix}-*) is the apply role's job; it is denied this pipeline's own roles and runs only saved plans a human approved`,
        { detail: path },
      );
    }

    this.approvalTopic = new NotificationTopic(this, 'approvals', {
      env,
      topicName: `${base}-approvals`,
      displayName: `${base} apply approvals`,
      encryptionKey: this.key,
      emails: infra.approvers,
    });

    this.pipelineRole = new ServiceRole(this, 'pipeline-role', { env, roleName: `${base}-codepipeline`, description: `CodePipeline ${base}`, service: 'codepipeline', sourceArns: [pipelineArn] });
    this.pipelineRole.grant(
      ...pipelineArtifacts,
      ...this.source.pipelineStatements(),
      { ...this.audit.runStatement(), Sid: 'RunAudit' },
      { ...this.plan.runStatement(), Sid: 'RunPlan' },
      { ...this.apply.runStatement(), Sid: 'RunApply' },
      ...this.approvalTopic.publishStatements(),
    );

    const sourceAction = this.source.sourceAction(INFRA_ARTIFACTS.source);
    const build = (name: string, p: BuildProject, input: string, output?: string, namespace?: string) => ({
      name,
      category: 'Build',
      owner: 'AWS',
      provider: 'CodeBuild',
      version: '1',
      inputArtifacts: [input],
      ...(output ? { outputArtifacts: [output] } : {}),
      ...(namespace ? { namespace } : {}),
      configuration: { ProjectName: p.projectName },
    });
    const stages: CodepipelineStage[] = [
      { name: 'Source', action: [sourceAction] },
      { name: 'Audit', action: [build('Audit', this.audit, INFRA_ARTIFACTS.source, INFRA_ARTIFACTS.audit, AUDIT_NAMESPACE)] },
      { name: 'Plan', action: [build('Plan', this.plan, INFRA_ARTIFACTS.audit, INFRA_ARTIFACTS.plan)] },
      {
        name: 'Approve',
        action: [
          {
            name: 'Approve',
            category: 'Approval',
            owner: 'AWS',
            provider: 'Manual',
            version: '1',
            configuration: { NotificationArn: this.approvalTopic.arn, CustomData: APPROVAL_CUSTOM_DATA },
          },
        ],
      },
      { name: 'Apply', action: [build('Apply', this.apply, INFRA_ARTIFACTS.plan)] },
    ];
    this.pipeline = new Codepipeline(this, 'pipeline', {
      name: base,
      pipelineType: 'V2',
      // A newer run never overtakes one waiting for approval: plans apply in the order they were made.
      executionMode: 'QUEUED',
      roleArn: this.pipelineRole.role.arn,
      artifactStore: [{ type: 'S3', location: this.artifacts.bucketName, encryptionKey: { id: this.key.arn, type: 'KMS' } }],
      stage: stages,
      trigger: this.source.pipelineTriggers(sourceAction.name),
      dependsOn: [this.artifacts.bucket],
    });

    if (this.source instanceof ExistingRepositorySource) {
      this.pushTrigger = new EventRule(this, 'push-trigger', {
        env,
        ruleName: `${base}-push`,
        description: `Starts ${base} on pushes to ${this.source.branch} of ${this.source.repositoryName}`,
        eventPattern: this.source.pushEventPattern(),
        targetArn: this.pipeline.arn,
        targetId: 'start-pipeline',
        roleStatements: [{ Sid: 'StartPipeline', Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn }],
      });
    }

    new TerraformOutput(this, 'pipeline_name', { value: base });
    new TerraformOutput(this, 'artifact_bucket', { value: this.artifacts.bucketName });
    if (this.source instanceof ConnectionSource && this.source.connection) {
      new TerraformOutput(this, 'connection_arn', { value: this.source.connectionArn, description: 'Authorise this connection once in the console (status PENDING until then)' });
    }
  }
}

/** Suppress, on the project role's inline policy, the findings its condition-scoped KMS and connection statements raise. */
function suppressConditionScoped(project: BuildProject, which: keyof typeof CONDITION_SCOPED_FINDINGS): void {
  const policy = project.role.node.findChild('policy') as IamRolePolicy;
  const reason =
    'key/* and connection/* are narrowed by condition (the state key by its alias via kms:ResourceAliases, the stacks\' keys and connections by the ManagedBy=gantry tag): AWS picks their ids, so no ARN is known when this stack is planned';
  for (const [ruleId, details] of Object.entries(CONDITION_SCOPED_FINDINGS[which])) {
    for (const detail of details) suppress(policy, ruleId, reason, { detail });
  }
}
