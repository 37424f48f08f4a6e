/**
 * An existing CodeCommit repository as a pipeline source (Gantry's own code, created outside the
 * stacks): the Source action with polling off — an EventBridge rule on pushes starts the pipeline.
 */
import type { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { Construct } from 'constructs';
import type { AwsEnv } from '../../lib/aws-env';
import type { Statement } from '../../lib/policy';
import { codeCommitSourceAction, readSourceRepositoryStatement } from '../codecommit-source';
import type { PipelineSource } from '../pipeline-source';

export interface ExistingRepositorySourceProps {
  readonly env: AwsEnv;
  readonly repositoryName: string;
  readonly branch: string;
}

export class ExistingRepositorySource extends Construct implements PipelineSource {
  readonly kind = 'codecommit' as const;
  readonly repositoryName: string;
  readonly branch: string;
  /** Literal ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ExistingRepositorySourceProps) {
    super(scope, id);
    this.repositoryName = props.repositoryName;
    this.branch = props.branch;
    this.arn = props.env.arn('codecommit', props.repositoryName);
  }

  sourceAction(outputArtifact: string): CodepipelineStageAction {
    return codeCommitSourceAction(this.repositoryName, this.branch, outputArtifact);
  }

  pipelineTriggers(): CodepipelineTrigger[] {
    return [];
  }

  pipelineStatements(): Statement[] {
    return [readSourceRepositoryStatement(this.arn)];
  }

  buildStatements(): Statement[] {
    return [{ Sid: 'PullSourceRepository', Effect: 'Allow', Action: 'codecommit:GitPull', Resource: this.arn }];
  }

  /** The EventBridge pattern of pushes to the branch. */
  pushEventPattern(): Record<string, unknown> {
    return {
      source: ['aws.codecommit'],
      'detail-type': ['CodeCommit Repository State Change'],
      resources: [this.arn],
      detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: [this.branch] },
    };
  }
}
