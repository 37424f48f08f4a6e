import type { Rule } from '../rule';

/** Every reliability rule, one per file in this folder. */
export const RELIABILITY_RULES: readonly Rule[] = [];
