import type { Rule } from '../rule';

/** Every quota rule, one per file in this folder. */
export const QUOTA_RULES: readonly Rule[] = [];
