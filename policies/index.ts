import type { Rule } from './rule';
import { IAM_RULES } from './iam';
import { ENCRYPTION_RULES } from './encryption';
import { RELIABILITY_RULES } from './reliability';
import { QUOTA_RULES } from './quota';
import { COST_RULES } from './cost';

/** The rule catalogue. Rule ids are the file path below policies/ without `.ts` (`iam/no-admin-access`). */
export const ALL_RULES: readonly Rule[] = [...IAM_RULES, ...ENCRYPTION_RULES, ...RELIABILITY_RULES, ...QUOTA_RULES, ...COST_RULES];

export type { Rule, RuleMeta, RuleResult, Severity, Category } from './rule';
