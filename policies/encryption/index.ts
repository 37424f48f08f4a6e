import type { Rule } from '../rule';

/** Every encryption rule, one per file in this folder. */
export const ENCRYPTION_RULES: readonly Rule[] = [];
