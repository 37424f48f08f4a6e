import { judgeManaged } from '../lib/judge';
import { blockCount } from '../lib/values';
import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('codepipeline-stages-per-pipeline');

export const rule: Rule = {
  id: 'quota/pipeline-stages',
  title: 'CodePipeline stage count within limits',
  category: 'quota',
  severity: 'high',
  rationale: `CreatePipeline rejects a pipeline with fewer than 2 or more than ${LIMIT.defaultValue} stages. ${LIMIT.cite}.`,
  remediation: 'Combine stages (actions in one stage can run in parallel or in sequence with run_order), or split the pipeline.',
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, undefined);
  },
};

function judge(p: ResourceNode, results: RuleResult[]): void {
  const raw = p.values.stage;
  if (raw === undefined || (!Array.isArray(raw) && typeof raw !== 'object')) return;
  const n = blockCount(raw);
  if (n > LIMIT.defaultValue) results.push({ node: p, message: `${n} stages; a pipeline may have at most ${LIMIT.defaultValue} (${LIMIT.source})` });
  else if (n < 2) results.push({ node: p, message: `${n} stage${n === 1 ? '' : 's'}; a pipeline needs at least 2 (${LIMIT.source})` });
}
