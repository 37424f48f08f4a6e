/**
 * A Lambda function alias whose traffic CodeDeploy shifts (canary / linear / all at once).
 *
 * Each environment's deploy is two pipeline actions: a CodeBuild "Publish" action (the
 * application's publisher project, see lambda-publisher.ts) uploads the build's package, publishes
 * a new version and writes an appspec naming the alias's current and the new version; then the
 * CodeDeploy action runs that appspec on the environment's deployment group, which shifts the
 * alias by the group's deployment configuration and rolls back on failure or alarm.
 */
import type { CodepipelineStageAction } from '@cdktf/provider-aws/lib/codepipeline';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import type { DeployActionInput, DeployTarget, GroupTargetConfig } from './deploy-target';

export interface LambdaTargetProps {
  readonly functionName: string;
  /** @default "live" */
  readonly alias?: string;
  /** The CodeBuild project that publishes versions (one per application). */
  readonly publishProjectName: string;
  /** Literal ARN of that project. */
  readonly publishProjectArn: string;
}

/** Artifact the publish action writes for `environment` (letters, digits, `_` and `-`). */
export const publishArtifact = (environment: string) => `Publish_${environment.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export class LambdaTarget implements DeployTarget {
  readonly computePlatform = 'Lambda' as const;

  constructor(private readonly props: LambdaTargetProps) {}

  get functionName(): string {
    return this.props.functionName;
  }

  get alias(): string {
    return this.props.alias ?? 'live';
  }

  groupConfig(): GroupTargetConfig {
    return { deploymentStyle: { deploymentOption: 'WITH_TRAFFIC_CONTROL', deploymentType: 'BLUE_GREEN' } };
  }

  /** The function's own ARN and its qualified ARNs (versions, aliases), nothing else. */
  functionArns(env: AwsEnv): string[] {
    const fn = env.arn('lambda', `function:${this.props.functionName}`);
    return [fn, `${fn}:*`];
  }

  codeDeployStatements(env: AwsEnv): Statement[] {
    return [
      { Sid: 'ShiftAliasOfNamedFunction', Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration'], Resource: this.functionArns(env) },
    ];
  }

  pipelineActions(input: DeployActionInput): CodepipelineStageAction[] {
    const published = publishArtifact(input.environment);
    return [
      {
        name: 'Publish',
        category: 'Build',
        owner: 'AWS',
        provider: 'CodeBuild',
        version: '1',
        inputArtifacts: [input.artifact],
        outputArtifacts: [published],
        configuration: {
          ProjectName: this.props.publishProjectName,
          EnvironmentVariables: JSON.stringify([
            { name: 'FUNCTION_NAME', value: this.props.functionName, type: 'PLAINTEXT' },
            { name: 'FUNCTION_ALIAS', value: this.alias, type: 'PLAINTEXT' },
          ]),
        },
      },
      {
        name: 'Deploy',
        category: 'Deploy',
        owner: 'AWS',
        provider: 'CodeDeploy',
        version: '1',
        inputArtifacts: [published],
        configuration: { ApplicationName: input.applicationName, DeploymentGroupName: input.deploymentGroupName },
      },
    ];
  }

  pipelineStatements(): Statement[] {
    return [{ Sid: 'RunPublishProject', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], Resource: this.props.publishProjectArn }];
  }
}
