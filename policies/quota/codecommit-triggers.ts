import { judgeManaged } from '../lib/judge';
import { blockCount } from '../lib/values';
import type { ResourceNode } from '../../auditor/model/types';
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
    return judgeManaged(model, 'aws_codecommit_trigger', judge, undefined);
  },
};

function judge(t: ResourceNode, results: RuleResult[]): void {
  const n = blockCount(t.values.trigger);
  if (n > LIMIT.defaultValue) {
    results.push({ node: t, message: `${n} triggers on one repository; at most ${LIMIT.defaultValue} are allowed (fixed; ${LIMIT.source})` });
  }
}
