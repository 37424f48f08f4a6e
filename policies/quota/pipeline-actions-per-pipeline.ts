import { judgeManaged } from '../lib/judge';
import { blockCount, blockItems } from '../lib/values';
import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('codepipeline-actions-per-pipeline');

/** All actions of a pipeline together, every stage counted. */
export const rule: Rule = {
  id: 'quota/pipeline-actions-per-pipeline',
  title: 'CodePipeline actions per pipeline within limits',
  category: 'quota',
  severity: 'high',
  rationale: `CreatePipeline rejects a pipeline whose stages hold more than ${LIMIT.defaultValue} actions in all. ${LIMIT.cite}.`,
  remediation: 'Split the pipeline (one per application or environment), or replace many similar actions with one CodeBuild batch build.',
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, undefined);
  },
};

function judge(p: ResourceNode, results: RuleResult[]): void {
  const stages = blockItems(p.values.stage);
  let n = 0;
  for (let i = 0; i < stages.length; i++) n += blockCount(stages[i].action);
  if (n > LIMIT.defaultValue) {
    results.push({ node: p, message: `${n} actions over ${stages.length} stages; a pipeline may have at most ${LIMIT.defaultValue} (${LIMIT.quotaCode}, fixed; ${LIMIT.source})` });
  }
}
