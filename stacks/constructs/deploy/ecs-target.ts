/** An ECS service deployed blue/green by CodeDeploy behind a target-group pair. */
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import type { DeployActionInput, DeployTarget, GroupTargetConfig } from './deploy-target';

export interface EcsTargetProps {
  readonly cluster: string;
  readonly service: string;
  /** Blue and green target group names. */
  readonly targetGroups: readonly [string, string];
  readonly productionListenerArn: string;
  /** @default - no test listener */
  readonly testListenerArn?: string;
  /** Task roles the pipeline may pass to ECS when it registers the task definition. @default - none */
  readonly taskRoleNames?: readonly string[];
  /** Task definition family the build's taskdef.json registers. @default - the service name */
  readonly taskDefinitionFamily?: string;
  /** Minutes the old (blue) tasks keep running after a successful deployment. @default 5 */
  readonly terminationWaitMinutes?: number;
  /** @default "taskdef.json" */
  readonly taskDefinitionTemplatePath?: string;
  /** @default "appspec.yaml" */
  readonly appSpecTemplatePath?: string;
}

/** `listener/app/<lb>/<id>/<listener-id>` → `listener-rule/app/<lb>/<id>/<listener-id>/*` */
function listenerRulesArn(listenerArn: string): string {
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;
}

export class EcsTarget implements DeployTarget {
  readonly computePlatform = 'ECS' as const;

  constructor(private readonly props: EcsTargetProps) {}

  private get listeners(): string[] {
    return [this.props.productionListenerArn, ...(this.props.testListenerArn ? [this.props.testListenerArn] : [])];
  }

  groupConfig(): GroupTargetConfig {
    return {
      deploymentStyle: { deploymentOption: 'WITH_TRAFFIC_CONTROL', deploymentType: 'BLUE_GREEN' },
      ecsService: { clusterName: this.props.cluster, serviceName: this.props.service },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: this.props.terminationWaitMinutes ?? 5 },
      },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [this.props.productionListenerArn] },
          ...(this.props.testListenerArn ? { testTrafficRoute: { listenerArns: [this.props.testListenerArn] } } : {}),
          targetGroup: this.props.targetGroups.map((name) => ({ name })),
        },
      },
    };
  }

  codeDeployStatements(env: AwsEnv): Statement[] {
    const { cluster, service } = this.props;
    return [
      {
        Sid: 'ManageTaskSetsOfNamedService',
        Effect: 'Allow',
        Action: ['ecs:DescribeServices', 'ecs:CreateTaskSet', 'ecs:UpdateServicePrimaryTaskSet', 'ecs:DeleteTaskSet'],
        Resource: [env.arn('ecs', `service/${cluster}/${service}`), env.arn('ecs', `task-set/${cluster}/${service}/*`)],
      },
      {
        Sid: 'ShiftTrafficOnNamedListeners',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule'],
        Resource: [...this.listeners, ...this.listeners.map(listenerRulesArn)],
      },
      {
        // Elastic Load Balancing Describe* calls do not support resource-level permissions.
        Sid: 'DescribeLoadBalancing',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetHealth'],
        Resource: '*',
      },
      ...this.passTaskRoles(env, 'ecs-tasks.amazonaws.com'),
    ];
  }

  pipelineActions(input: DeployActionInput): CodepipelineStageAction[] {
    return [{
      name: 'Deploy',
      category: 'Deploy',
      owner: 'AWS',
      provider: 'CodeDeployToECS',
      version: '1',
      inputArtifacts: [input.artifact],
      configuration: {
        ApplicationName: input.applicationName,
        DeploymentGroupName: input.deploymentGroupName,
        TaskDefinitionTemplateArtifact: input.artifact,
        TaskDefinitionTemplatePath: this.props.taskDefinitionTemplatePath ?? 'taskdef.json',
        AppSpecTemplateArtifact: input.artifact,
        AppSpecTemplatePath: this.props.appSpecTemplatePath ?? 'appspec.yaml',
      },
    }];
  }

  pipelineStatements(env: AwsEnv): Statement[] {
    return [
      {
        Sid: 'RegisterOwnTaskDefinitionFamily',
        Effect: 'Allow',
        Action: 'ecs:RegisterTaskDefinition',
        Resource: env.arn('ecs', `task-definition/${this.props.taskDefinitionFamily ?? this.props.service}:*`),
      },
      // DescribeTaskDefinition does not support resource-level permissions (Service Authorization Reference).
      { Sid: 'DescribeTaskDefinitions', Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' },
      ...this.passTaskRoles(env, 'ecs-tasks.amazonaws.com'),
    ];
  }

  private passTaskRoles(env: AwsEnv, service: string): Statement[] {
    const roles = this.props.taskRoleNames ?? [];
    if (!roles.length) return [];
    return [
      {
        Sid: 'PassNamedTaskRolesToEcsOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roles.map((r) => env.roleArn(r)),
        Condition: { StringEquals: { 'iam:PassedToService': service } },
      },
    ];
  }
}
