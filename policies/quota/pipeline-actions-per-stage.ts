import { judgeManaged } from '../lib/judge';
import { blockCount, blockItems } from '../lib/values';
import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('codepipeline-actions-per-stage');

export const rule: Rule = {
  id: 'quota/pipeline-actions-per-stage',
  title: 'CodePipeline actions per stage within limits',
  category: 'quota',
  severity: 'high',
  rationale: `CreatePipeline rejects a stage with no action or more than ${LIMIT.defaultValue} actions. ${LIMIT.cite}.`,
  remediation: 'Move actions into another stage, or fan out from one action (a CodeBuild batch build) instead of many.',
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, undefined);
  },
};

function judge(p: ResourceNode, results: RuleResult[]): void {
  const stages = blockItems(p.values.stage);
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i];
    const n = blockCount(stage.action);
    if (n > 0 && n <= LIMIT.defaultValue) continue;
    const name = typeof stage.name === 'string' ? stage.name : '(unnamed)';
    if (n > LIMIT.defaultValue) results.push({ node: p, detail: name, message: `stage "${name}" has ${n} actions; at most ${LIMIT.defaultValue} are allowed (${LIMIT.source})` });
    else if (stage.action !== undefined) results.push({ node: p, detail: name, message: `stage "${name}" has no action; every stage needs at least 1 (${LIMIT.source})` });
  }
}
