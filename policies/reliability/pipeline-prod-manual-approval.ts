import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { actionsOf, isDeployAction, isManualApproval, productionEvidence, type PipelineAction } from '../lib/pipeline';

export const rule: Rule = {
  id: 'reliability/pipeline-prod-manual-approval',
  title: 'A production deployment is preceded by a manual approval',
  category: 'reliability',
  severity: 'high',
  rationale:
    'A pipeline that deploys to production straight from a merge ships every change, including one that passed tests but should not go out now, with no human decision. A Manual approval action in an earlier stage, or earlier in the same stage (lower run_order), is the gate. ' +
    'An action counts as a production deployment when it is a Deploy action (or a build/invoke action named for deploying) and its stage, its name, or its target (deployment group, stack, environment variables, tags) says prod/production/prd/live. Severity (ours): high.',
  remediation: 'Add an action with category = "Approval", owner = "AWS", provider = "Manual" (with an SNS topic to notify approvers) in a stage before the production deployment, or in the same stage with a lower run_order.',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, model);
  },
};

function judge(pipeline: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const actions = actionsOf(pipeline);
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    // The approval check is cheap and usually passes: only ungated deployments are read for production evidence.
    if (!isDeployAction(a) || approvedBefore(actions, a)) continue;
    const evidence = productionEvidence(model, pipeline, a);
    if (evidence) {
      results.push({ node: pipeline, message: `${a.stageName}/${a.name} deploys to production (${evidence}) with no manual approval before it`, detail: `${a.stageName}/${a.name}` });
    }
  }
}

/** Is there a Manual approval in an earlier stage, or earlier in the same stage (lower run_order)? */
function approvedBefore(actions: readonly PipelineAction[], a: PipelineAction): boolean {
  for (let i = 0; i < actions.length; i++) {
    const p = actions[i];
    if (isManualApproval(p) && (p.stageIndex < a.stageIndex || (p.stageIndex === a.stageIndex && p.runOrder < a.runOrder))) return true;
  }
  return false;
}
