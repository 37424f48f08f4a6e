/**
 * EC2 / on-premises instances found by tags or Auto Scaling groups, deployed in place (optionally
 * behind a load balancer target group) or blue/green behind a target group.
 *
 * Blue/green always discovers the replacement instances (DISCOVER_EXISTING) rather than letting
 * CodeDeploy copy the Auto Scaling group (COPY_AUTO_SCALING_GROUP): a copied group is created by
 * CodeDeploy outside Terraform, and the group Terraform manages is deleted when the original
 * instances are terminated, so every later plan would show drift or recreate it. With discovery,
 * both fleets are Terraform's (e.g. two Auto Scaling groups behind the same target group).
 */
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import type { DeployActionInput, DeployTarget, GroupTargetConfig } from './deploy-target';

export interface ServerTargetProps {
  /** Instances carrying all these tags. @default - none */
  readonly ec2TagFilters?: readonly { readonly key: string; readonly value: string }[];
  /** Auto Scaling group names. @default - none */
  readonly autoScalingGroups?: readonly string[];
  /** Blue/green behind a target group. @default - in place */
  readonly blueGreen?: {
    readonly targetGroup: string;
    /** @default "terminate" */
    readonly originalInstances?: 'terminate' | 'keep-alive';
    /** @default 60 */
    readonly terminationWaitMinutes?: number;
    /** 0 reroutes traffic as soon as the replacement is ready. @default 0 */
    readonly readyWaitMinutes?: number;
  };
  /** In place behind this target group (instances leave it while they are updated). @default - no load balancer */
  readonly inPlaceTargetGroup?: string;
}

export class ServerTarget implements DeployTarget {
  readonly computePlatform = 'Server' as const;

  constructor(private readonly props: ServerTargetProps) {}

  groupConfig(): GroupTargetConfig {
    const filters = this.props.ec2TagFilters ?? [];
    const bg = this.props.blueGreen;
    const targetGroup = bg?.targetGroup ?? this.props.inPlaceTargetGroup;
    return {
      deploymentStyle: { deploymentOption: targetGroup ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL', deploymentType: bg ? 'BLUE_GREEN' : 'IN_PLACE' },
      ...(targetGroup ? { loadBalancerInfo: { targetGroupInfo: [{ name: targetGroup }] } } : {}),
      ...(bg
        ? {
            blueGreenDeploymentConfig: {
              deploymentReadyOption: (bg.readyWaitMinutes ?? 0) > 0 ? { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: bg.readyWaitMinutes } : { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
              greenFleetProvisioningOption: { action: 'DISCOVER_EXISTING' },
              terminateBlueInstancesOnDeploymentSuccess:
                (bg.originalInstances ?? 'terminate') === 'terminate' ? { action: 'TERMINATE', terminationWaitTimeInMinutes: bg.terminationWaitMinutes ?? 60 } : { action: 'KEEP_ALIVE' },
            },
          }
        : {}),
      ...(filters.length ? { ec2TagSet: [{ ec2TagFilter: filters.map((f) => ({ key: f.key, value: f.value, type: 'KEY_AND_VALUE' })) }] } : {}),
      ...(this.props.autoScalingGroups?.length ? { autoscalingGroups: [...this.props.autoScalingGroups], outdatedInstancesStrategy: 'UPDATE' } : {}),
    };
  }

  codeDeployStatements(env: AwsEnv): Statement[] {
    const out: Statement[] = [
      {
        // These EC2 and tagging reads do not support resource-level permissions (Service Authorization Reference).
        Sid: 'FindTargetInstances',
        Effect: 'Allow',
        Action: ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'tag:GetResources'],
        Resource: '*',
      },
    ];
    const asgs = this.props.autoScalingGroups ?? [];
    if (asgs.length) {
      out.push(
        {
          Sid: 'ManageLifecycleHooksOfNamedGroups',
          Effect: 'Allow',
          Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:DeleteLifecycleHook', 'autoscaling:PutLifecycleHook', 'autoscaling:RecordLifecycleActionHeartbeat', 'autoscaling:UpdateAutoScalingGroup'],
          Resource: asgs.map((g) => env.arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${g}`)),
        },
        { Sid: 'DescribeAutoScaling', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeLifecycleHooks'], Resource: '*' },
      );
    }
    const targetGroup = this.props.blueGreen?.targetGroup ?? this.props.inPlaceTargetGroup;
    if (targetGroup) {
      out.push(
        {
          Sid: 'MoveInstancesInNamedTargetGroup',
          Effect: 'Allow',
          Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
          Resource: env.arn('elasticloadbalancing', `targetgroup/${targetGroup}/*`),
        },
        // Elastic Load Balancing Describe* calls do not support resource-level permissions.
        { Sid: 'DescribeLoadBalancing', Effect: 'Allow', Action: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'], Resource: '*' },
      );
    }
    const bg = this.props.blueGreen;
    const filters = this.props.ec2TagFilters ?? [];
    if (bg && (bg.originalInstances ?? 'terminate') === 'terminate' && filters.length) {
      // Only instances carrying every tag of the group's filters (the blue fleet) can be terminated.
      out.push({
        Sid: 'TerminateOriginalTaggedInstances',
        Effect: 'Allow',
        Action: 'ec2:TerminateInstances',
        Resource: env.arn('ec2', 'instance/*'),
        Condition: { StringEquals: Object.fromEntries(filters.map((f) => [`ec2:ResourceTag/${f.key}`, f.value])) },
      });
    }
    return out;
  }

  pipelineActions(input: DeployActionInput): CodepipelineStageAction[] {
    return [
      {
        name: 'Deploy',
        category: 'Deploy',
        owner: 'AWS',
        provider: 'CodeDeploy',
        version: '1',
        inputArtifacts: [input.artifact],
        configuration: { ApplicationName: input.applicationName, DeploymentGroupName: input.deploymentGroupName },
      },
    ];
  }

  pipelineStatements(): Statement[] {
    return [];
  }
}
