import type { Rule } from '../rule';
import { rule as codecommitApprovalRuleTemplate } from './codecommit-approval-rule-template';
import { rule as codedeployAutoRollback } from './codedeploy-auto-rollback';
import { rule as dynamodbLockTableProtection } from './dynamodb-lock-table-protection';
import { rule as logGroupRetention } from './log-group-retention';
import { rule as pipelineProdManualApproval } from './pipeline-prod-manual-approval';
import { rule as pipelineSourcePolling } from './pipeline-source-polling';
import { rule as s3BucketVersioning } from './s3-bucket-versioning';

/** Every reliability rule (delivery rules included), one per file in this folder. */
export const RELIABILITY_RULES: readonly Rule[] = [
  codecommitApprovalRuleTemplate,
  codedeployAutoRollback,
  dynamodbLockTableProtection,
  logGroupRetention,
  pipelineProdManualApproval,
  pipelineSourcePolling,
  s3BucketVersioning,
];
