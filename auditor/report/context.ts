import type { RuleMeta } from '../../policies/rule';

/** What renderers may know besides the report: the rule catalogue (for SARIF help text and JUnit test cases). */
export interface RenderContext {
  readonly rules: readonly RuleMeta[];
  /** Working directory the report's relative file paths are relative to. @default process.cwd() */
  readonly cwd?: string;
}
