import type { Rule, RuleResult } from '../rule';
import { managed } from '../lib/links';
import { isDeployAction, isManualApproval, pipelineActions, productionEvidence } from '../lib/pipeline';

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
    const results: RuleResult[] = [];
    for (const pipeline of managed(model, 'aws_codepipeline')) {
      const actions = pipelineActions(pipeline);
      const approvals = actions.filter(isManualApproval);
      for (const a of actions) {
        if (!isDeployAction(a)) continue;
        const evidence = productionEvidence(model, pipeline, a);
        if (!evidence) continue;
        const gated = approvals.some((p) => p.stageIndex < a.stageIndex || (p.stageIndex === a.stageIndex && p.runOrder < a.runOrder));
        if (!gated) {
          results.push({ node: pipeline, message: `${a.stageName}/${a.name} deploys to production (${evidence}) with no manual approval before it`, detail: `${a.stageName}/${a.name}` });
        }
      }
    }
    return results;
  },
};
