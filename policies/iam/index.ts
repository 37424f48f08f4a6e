import type { Rule } from '../rule';

/** Every iam rule, one per file in this folder. */
export const IAM_RULES: readonly Rule[] = [];
