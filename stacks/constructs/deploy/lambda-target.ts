/** A Lambda function alias whose traffic CodeDeploy shifts (canary / linear / all at once). */
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import type { DeployActionInput, DeployTarget, GroupTargetConfig } from './deploy-target';

export interface LambdaTargetProps {
  readonly functionName: string;
  /** @default "live" */
  readonly alias?: string;
}

export class LambdaTarget implements DeployTarget {
  readonly computePlatform = 'Lambda' as const;

  constructor(private readonly props: LambdaTargetProps) {}

  groupConfig(): GroupTargetConfig {
    return { deploymentStyle: { deploymentOption: 'WITH_TRAFFIC_CONTROL', deploymentType: 'BLUE_GREEN' } };
  }

  codeDeployStatements(env: AwsEnv): Statement[] {
    const fn = env.arn('lambda', `function:${this.props.functionName}`);
    return [
      // `<function>:*` covers the function's qualified ARNs (its versions and aliases), nothing else.
      { Sid: 'ShiftAliasOfNamedFunction', Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration'], Resource: [fn, `${fn}:*`] },
    ];
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
