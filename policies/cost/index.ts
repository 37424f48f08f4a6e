import type { Rule } from '../rule';

/** Every cost rule, one per file in this folder. */
export const COST_RULES: readonly Rule[] = [];
