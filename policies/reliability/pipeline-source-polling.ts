import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { actionsOf } from '../lib/pipeline';
import { flag } from '../lib/values';

export const rule: Rule = {
  id: 'reliability/pipeline-source-polling',
  title: 'Source actions react to change events instead of polling',
  category: 'reliability',
  severity: 'medium',
  rationale:
    'A polling source action (CodeCommit, S3 or GitHub version 1) starts the pipeline only when CodePipeline next checks for changes, so releases wait, and AWS recommends event-based change detection (EventBridge rules, webhooks or CodeStar connections) instead. ' +
    'PollForSourceChanges defaults to true when a pipeline is created through the API, which is what Terraform does (CodePipeline user guide, "Valid settings for the PollForSourceChanges parameter"), so an absent setting polls. Severity (ours): medium.',
  remediation:
    'Set PollForSourceChanges = "false" in the source action configuration and add the change-detection resource: an EventBridge rule for CodeCommit or S3 (with CloudTrail data events for S3), or move GitHub sources to a CodeStarSourceConnection action.',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, undefined);
  },
};

function judge(pipeline: ResourceNode, results: RuleResult[]): void {
  const actions = actionsOf(pipeline);
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a.category !== 'Source') continue;
    const polls = a.provider === 'CodeCommit' || a.provider === 'S3' || (a.provider === 'GitHub' && a.owner === 'ThirdParty');
    if (!polls) continue;
    const setting = a.configuration.PollForSourceChanges;
    const value = flag(setting, true);
    if (value !== true) continue;
    results.push({
      node: pipeline,
      message: `${a.stageName}/${a.name} (${a.provider}) polls for source changes${setting === undefined ? ' (PollForSourceChanges is absent and defaults to true)' : ''}`,
      detail: `${a.stageName}/${a.name}`,
    });
  }
}
