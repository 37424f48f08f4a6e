import type { Rule } from '../rule';
import { rule as codecommitApprovalTemplates } from './codecommit-approval-templates';
import { rule as codecommitTriggers } from './codecommit-triggers';
import { rule as eventRuleTargets } from './event-rule-targets';
import { rule as logSubscriptionFilters } from './log-subscription-filters';
import { rule as managedPolicySize } from './managed-policy-size';
import { rule as pipelineActionsPerPipeline } from './pipeline-actions-per-pipeline';
import { rule as pipelineActionsPerStage } from './pipeline-actions-per-stage';
import { rule as pipelineStages } from './pipeline-stages';
import { rule as roleInlinePolicySize } from './role-inline-policy-size';
import { rule as roleManagedPolicies } from './role-managed-policies';
import { rule as roleTrustPolicySize } from './role-trust-policy-size';
import { rule as serviceQuota } from './service-quota';

/** Every quota rule, one per file in this folder. */
export const QUOTA_RULES: readonly Rule[] = [
  serviceQuota,
  roleManagedPolicies,
  roleTrustPolicySize,
  roleInlinePolicySize,
  managedPolicySize,
  pipelineStages,
  pipelineActionsPerStage,
  pipelineActionsPerPipeline,
  eventRuleTargets,
  codecommitTriggers,
  codecommitApprovalTemplates,
  logSubscriptionFilters,
];
