/** EC2 / on-premises instances found by tags or Auto Scaling groups, deployed in place. */
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import type { DeployActionInput, DeployTarget, GroupTargetConfig } from './deploy-target';

export interface ServerTargetProps {
  /** Instances carrying all these tags. @default - none */
  readonly ec2TagFilters?: readonly { readonly key: string; readonly value: string }[];
  /** Auto Scaling group names. @default - none */
  readonly autoScalingGroups?: readonly string[];
}

export class ServerTarget implements DeployTarget {
  readonly computePlatform = 'Server' as const;

  constructor(private readonly props: ServerTargetProps) {}

  groupConfig(): GroupTargetConfig {
    const filters = this.props.ec2TagFilters ?? [];
    return {
      deploymentStyle: { deploymentOption: 'WITHOUT_TRAFFIC_CONTROL', deploymentType: 'IN_PLACE' },
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
    return out;
  }

  pipelineAction(input: DeployActionInput): CodepipelineStageAction {
    return {
      name: 'Deploy',
      category: 'Deploy',
      owner: 'AWS',
      provider: 'CodeDeploy',
      version: '1',
      inputArtifacts: [input.artifact],
      configuration: { ApplicationName: input.applicationName, DeploymentGroupName: input.deploymentGroupName },
    };
  }

  pipelineStatements(): Statement[] {
    return [];
  }
}
