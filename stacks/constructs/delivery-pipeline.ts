/**
 * The delivery pipeline (CodePipeline V2, artifact store encrypted with the application key):
 * Source → Build → Test (test projects side by side, when there are any) → Deploy-<env> for each
 * environment in order, with a manual approval before every environment that asks for one. Its
 * role may do exactly what these actions need.
 */
import { Codepipeline, type CodepipelineStage, type CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { BuildProject } from './build-project';
import type { DeployApplication } from './deploy-application';
import type { EncryptionKey } from './encryption-key';
import type { NotificationTopic } from './notification-topic';
import type { PipelineSource } from './pipeline-source';
import type { SecureBucket } from './secure-bucket';
import { ServiceRole } from './service-role';

export interface PipelineEnvironment {
  readonly name: string;
  /** A manual approval precedes the deployment. */
  readonly approval: boolean;
}

export interface DeliveryPipelineProps {
  readonly env: AwsEnv;
  readonly pipelineName: string;
  readonly artifactBucket: SecureBucket;
  readonly encryptionKey: EncryptionKey;
  readonly source: PipelineSource;
  readonly build: BuildProject;
  /** Test projects, run in parallel (same run order) on the source in the Test stage. @default - no Test stage */
  readonly tests?: readonly { readonly name: string; readonly project: BuildProject }[];
  /** Other projects pipeline actions run (e.g. a Lambda publisher); they get the artifact prefix. @default - none */
  readonly helperProjects?: readonly BuildProject[];
  readonly deploy: DeployApplication;
  /** In deployment order; each must have a deployment group in `deploy`. */
  readonly environments: readonly PipelineEnvironment[];
  /** Where approval requests go. Required when any environment asks for approval. */
  readonly approvalTopic?: NotificationTopic;
}

/** CodePipeline keeps a pipeline's artifacts under the first 20 characters of its name. */
export function pipelineArtifactPrefix(pipelineName: string): string {
  return pipelineName.slice(0, 20);
}

export const SOURCE_ARTIFACT = 'SourceOutput';
export const BUILD_ARTIFACT = 'BuildOutput';

export class DeliveryPipeline extends Construct {
  readonly pipeline: Codepipeline;
  readonly pipelineName: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly role: ServiceRole;
  readonly stages: CodepipelineStage[];

  constructor(scope: Construct, id: string, props: DeliveryPipelineProps) {
    super(scope, id);
    const env = props.env;
    this.pipelineName = props.pipelineName;
    this.arn = env.arn('codepipeline', props.pipelineName);
    this.role = new ServiceRole(this, 'role', {
      env,
      roleName: `${props.pipelineName}-codepipeline`.slice(0, 64),
      description: `CodePipeline ${props.pipelineName}`,
      service: 'codepipeline',
      sourceArns: [this.arn],
    });
    const artifacts = props.artifactBucket.readWriteStatements(`${pipelineArtifactPrefix(props.pipelineName)}/*`);
    this.role.grant(...artifacts, ...props.source.pipelineStatements(), props.build.runStatement(), ...props.deploy.deployStatements());
    // Build, test and helper projects read their input artifacts and write their outputs themselves.
    const tests = props.tests ?? [];
    for (const p of [props.build, ...tests.map((t) => t.project), ...(props.helperProjects ?? [])]) p.grant(...artifacts);
    for (const t of tests) this.role.grant(t.project.runStatement());

    const sourceAction = props.source.sourceAction(SOURCE_ARTIFACT);
    const stages: CodepipelineStage[] = [
      { name: 'Source', action: [sourceAction] },
      {
        name: 'Build',
        action: [
          {
            name: 'Build',
            category: 'Build',
            owner: 'AWS',
            provider: 'CodeBuild',
            version: '1',
            inputArtifacts: [SOURCE_ARTIFACT],
            outputArtifacts: [BUILD_ARTIFACT],
            configuration: { ProjectName: props.build.projectName },
          },
        ],
      },
    ];
    if (tests.length) {
      stages.push({
        name: 'Test',
        // Same run order: CodePipeline runs the actions side by side.
        action: tests.map((t) => ({
          name: t.name,
          category: 'Test',
          owner: 'AWS',
          provider: 'CodeBuild',
          version: '1',
          runOrder: 1,
          inputArtifacts: [SOURCE_ARTIFACT],
          configuration: { ProjectName: t.project.projectName },
        })),
      });
    }

    for (const e of props.environments) {
      const group = props.deploy.groups.find((g) => g.environment === e.name);
      if (!group) throw new Error(`delivery pipeline ${props.pipelineName}: environment "${e.name}" has no deployment group`);
      const actions: CodepipelineStageAction[] = [];
      if (e.approval) {
        if (!props.approvalTopic) throw new Error(`delivery pipeline ${props.pipelineName}: environment "${e.name}" asks for approval but no approval topic was given`);
        actions.push({
          name: 'Approve',
          category: 'Approval',
          owner: 'AWS',
          provider: 'Manual',
          version: '1',
          runOrder: 1,
          configuration: {
            NotificationArn: props.approvalTopic.arn,
            CustomData: `Approve deploying ${props.deploy.applicationName} to ${e.name}`,
          },
        });
      }
      const deploy = group.target.pipelineActions({ applicationName: props.deploy.applicationName, deploymentGroupName: group.groupName, environment: e.name, artifact: BUILD_ARTIFACT });
      deploy.forEach((a) => actions.push({ ...a, runOrder: actions.length + 1 }));
      stages.push({ name: `Deploy-${e.name}`, action: actions });
      this.role.grant(...group.target.pipelineStatements(env));
    }
    if (props.environments.some((e) => e.approval) && props.approvalTopic) this.role.grant(...props.approvalTopic.publishStatements());
    this.stages = stages;

    this.pipeline = new Codepipeline(this, 'pipeline', {
      name: props.pipelineName,
      pipelineType: 'V2',
      executionMode: 'QUEUED',
      roleArn: this.role.role.arn,
      artifactStore: [{ type: 'S3', location: props.artifactBucket.bucketName, encryptionKey: { id: props.encryptionKey.arn, type: 'KMS' } }],
      stage: stages,
      trigger: props.source.pipelineTriggers(sourceAction.name),
      dependsOn: [props.artifactBucket.bucket],
    });
  }

  /** Identity-policy statement to start this pipeline. */
  startStatement() {
    return { Sid: 'StartPipeline', Effect: 'Allow' as const, Action: 'codepipeline:StartPipelineExecution', Resource: this.arn };
  }
}
