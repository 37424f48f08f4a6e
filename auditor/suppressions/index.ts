export { loadSuppressionsFile, isIsoDate, MIN_REASON } from './file';
export type { FileSuppression } from './file';
export { applySuppressions, codeSuppressions } from './apply';
export type { ApplyOptions, ApplyResult } from './apply';
export { discoverSuppressionsFiles, SUPPRESSIONS_FILE } from './discover';
