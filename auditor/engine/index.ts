export { runRules, AUDIT_RESOURCE } from './run';
export type { EngineResult, RuleError, EngineOptions } from './run';
export { compareFindings, atOrAbove, severityRank, findingKey } from './order';
