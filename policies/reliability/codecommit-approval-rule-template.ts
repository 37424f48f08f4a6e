import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { attachedTo, managed, REPOSITORY_NAME } from '../lib/links';
import { isObj, literal, parseJson } from '../lib/values';

const MIN_APPROVALS = 2;

/** The largest NumberOfApprovalsNeeded of a template's content, or why it cannot be read. */
function approvalsNeeded(template: ResourceNode): number | { readonly unreadable: string } {
  const content = parseJson(template.values.content);
  if (!isObj(content)) return { unreadable: `the content of ${template.address} is not literal JSON` };
  const statements = Array.isArray(content.Statements) ? content.Statements : [];
  let most = 0;
  for (const s of statements) {
    if (!isObj(s)) continue;
    const n = Number(s.NumberOfApprovalsNeeded);
    if (Number.isFinite(n)) most = Math.max(most, n);
  }
  return most;
}

export const rule: Rule = {
  id: 'reliability/codecommit-approval-rule-template',
  title: 'CodeCommit repository requires at least two approvals on pull requests',
  category: 'reliability',
  severity: 'medium',
  rationale:
    'The pipeline deploys whatever reaches the branch it watches; an approval rule template associated with the repository is what makes a second and third person look at a change first. One approval still lets a pair merge anything. ' +
    'Severity (ours): medium; info when the template or its content cannot be read from the input.',
  remediation:
    'Add an aws_codecommit_approval_rule_template whose content has a statement with "Type": "Approvers" and "NumberOfApprovalsNeeded": 2 (or more) for the release branch, and an aws_codecommit_approval_rule_template_association naming the repository.',
  equivalents: {},
  check(model) {
    const byName = new Map<string, ResourceNode>();
    for (const t of managed(model, 'aws_codecommit_approval_rule_template')) {
      const n = literal(t.values.name);
      if (n !== undefined) byName.set(`${t.stack}\u0000${n}`, t);
    }
    return judgeManaged(model, 'aws_codecommit_repository', judge, { model, byName });
  },
};


interface Templates {
  readonly model: ResourceModel;
  /** Managed templates by `<stack>\0<name>`. */
  readonly byName: Map<string, ResourceNode>;
}

/** The template an association names: by literal name, or by reference. */
function templateOf({ model, byName }: Templates, assoc: ResourceNode): ResourceNode | undefined {
  const v = assoc.values.approval_rule_template_name;
  const lit = literal(v);
  if (lit !== undefined) return byName.get(`${assoc.stack}\u0000${lit}`);
  const ref = model.resolve(assoc.stack, v);
  return ref && ref.type === 'aws_codecommit_approval_rule_template' && ref.mode === 'managed' ? ref : undefined;
}

function judge(repo: ResourceNode, results: RuleResult[], templates: Templates): void {
  const associations = attachedTo(templates.model, repo, 'aws_codecommit_approval_rule_template_association', 'repository_name', REPOSITORY_NAME);
  if (associations.length === 0) {
    results.push({ node: repo, message: 'no approval rule template is associated: pull requests can merge without review', detail: 'no-template' });
    return;
  }
  let best = -1;
  const unreadable: string[] = [];
  for (const assoc of associations) {
    const name = assoc.values.approval_rule_template_name;
    const template = templateOf(templates, assoc);
    if (!template) {
      unreadable.push(`${assoc.address} names template ${literal(name) ?? String(name)}, which is not in the input`);
      continue;
    }
    const n = approvalsNeeded(template);
    if (typeof n === 'number') best = Math.max(best, n);
    else unreadable.push(n.unreadable);
  }
  if (best >= MIN_APPROVALS) return;
  if (unreadable.length > 0) {
    results.push({ node: repo, severity: 'info', message: `cannot confirm ${MIN_APPROVALS} required approvals: ${unreadable.join('; ')}`, detail: 'unreadable' });
  } else {
    results.push({ node: repo, message: `its approval rule templates require at most ${best} approval${best === 1 ? '' : 's'} (fewer than ${MIN_APPROVALS})`, detail: 'approvals' });
  }
}
