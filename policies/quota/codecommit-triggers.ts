import { managed } from '../lib/links';
import { blocks } from '../lib/values';
import type { Rule, RuleResult } from '../rule';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('codecommit-triggers-per-repository');

/** aws_codecommit_trigger sets a repository's whole trigger list (PutRepositoryTriggers): its `trigger` blocks are the repository's triggers. */
export const rule: Rule = {
  id: 'quota/codecommit-triggers',
  title: 'CodeCommit triggers per repository within limits',
  category: 'quota',
  severity: 'high',
  rationale: `PutRepositoryTriggers rejects more triggers than a repository may have. ${LIMIT.cite}.`,
  remediation: 'Send one trigger to an SNS topic and fan out from there, or use EventBridge rules on CodeCommit events instead of triggers.',
  check(model) {
    const results: RuleResult[] = [];
    for (const t of managed(model, 'aws_codecommit_trigger')) {
      const n = blocks(t.values.trigger).length;
      if (n > LIMIT.defaultValue) {
        results.push({ node: t, message: `${n} triggers on one repository; at most ${LIMIT.defaultValue} are allowed (fixed; ${LIMIT.source})` });
      }
    }
    return results;
  },
};
