/** What the pipeline and the pull-request check need from an application's source. */
import type { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import type { Statement } from '../lib/policy';

export interface PipelineSource {
  readonly kind: 'codecommit' | 'connection';
  /** The branch the pipeline releases from. */
  readonly branch: string;
  /** The Source stage's action, producing `outputArtifact`. */
  sourceAction(outputArtifact: string): CodepipelineStageAction;
  /** Pipeline-native triggers (V2), if the source uses them instead of an EventBridge rule. */
  pipelineTriggers(sourceActionName: string): CodepipelineTrigger[];
  /** What the pipeline role needs to run the source action. */
  pipelineStatements(): Statement[];
  /** What a CodeBuild role needs to fetch the source directly (pull-request checks). */
  buildStatements(): Statement[];
}
