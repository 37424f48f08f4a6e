/**
 * A deployment platform (server, Lambda, ECS): what its CodeDeploy deployment groups, its
 * CodeDeploy role, and its pipeline deploy action look like. One file per platform.
 */
import type { CodedeployDeploymentGroupConfig } from '@cdktf/provider-aws/lib/codedeploy-deployment-group';
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';

export type ComputePlatform = 'Server' | 'Lambda' | 'ECS';

/** The platform-specific part of a deployment group. */
export type GroupTargetConfig = Pick<
  CodedeployDeploymentGroupConfig,
  'deploymentStyle' | 'ec2TagSet' | 'autoscalingGroups' | 'ecsService' | 'loadBalancerInfo' | 'blueGreenDeploymentConfig' | 'outdatedInstancesStrategy'
>;

export interface DeployActionInput {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /** The environment deployed to. */
  readonly environment: string;
  /** The build output artifact. */
  readonly artifact: string;
}

export interface DeployTarget {
  readonly computePlatform: ComputePlatform;
  /** The deployment group settings for one environment. */
  groupConfig(): GroupTargetConfig;
  /** What the CodeDeploy service role needs for this environment's targets. */
  codeDeployStatements(env: AwsEnv): Statement[];
  /** The pipeline actions deploying to this environment, in order (the pipeline numbers their run order). */
  pipelineActions(input: DeployActionInput): CodepipelineStageAction[];
  /** What the pipeline role needs beyond CodeDeploy itself (e.g. registering ECS task definitions). */
  pipelineStatements(env: AwsEnv): Statement[];
}
