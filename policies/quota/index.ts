import type { Rule } from '../rule';
import { rule as managedPolicySize } from './managed-policy-size';
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
];
