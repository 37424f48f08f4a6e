import { managed } from '../lib/links';
import { blockCount, blocks } from '../lib/values';
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
    const results: RuleResult[] = [];
    for (const p of managed(model, 'aws_codepipeline')) {
      const stages = blocks(p.values.stage);
      let n = 0;
      for (const s of stages) n += blockCount(s.action);
      if (n > LIMIT.defaultValue) {
        results.push({ node: p, message: `${n} actions over ${stages.length} stages; a pipeline may have at most ${LIMIT.defaultValue} (${LIMIT.quotaCode}, fixed; ${LIMIT.source})` });
      }
    }
    return results;
  },
};
