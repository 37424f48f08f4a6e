import { judgeManaged } from '../lib/judge';
import { attachedTo, REPOSITORY_NAME } from '../lib/links';
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { countedAddress, instanceTotal } from './lib/counted';
import { limitOf } from './lib/limits';

const LIMIT = limitOf('codecommit-approval-rule-templates-per-repository');

/** Approval rule template associations (× their count) naming each repository through `repository_name`. */
export const rule: Rule = {
  id: 'quota/codecommit-approval-templates',
  title: 'CodeCommit approval rule templates per repository within limits',
  category: 'quota',
  severity: 'high',
  rationale: `AssociateApprovalRuleTemplateWithRepository fails past the fixed number of templates per repository. ${LIMIT.cite}.`,
  remediation: 'Merge approval rule templates (one template can require approvers from several pools), or associate fewer templates with the repository.',
  check(model) {
    return judgeManaged(model, 'aws_codecommit_repository', judge, model);
  },
};


function judge(repo: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const assoc = attachedTo(model, repo, 'aws_codecommit_approval_rule_template_association', 'repository_name', REPOSITORY_NAME);
  if (assoc.length === 0) return;
  const n = instanceTotal(assoc);
  if (n > LIMIT.defaultValue) {
    results.push({ node: repo, message: `${n} approval rule templates associated (${assoc.map(countedAddress).join(', ')}); at most ${LIMIT.defaultValue} per repository (fixed; ${LIMIT.source})` });
  }
}
