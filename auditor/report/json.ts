/**
 * `--format json`: exactly the contract (auditor/report/contract.ts), one line. The contract fixes
 * fields, not whitespace: compact output is ~3× faster to build and about half the size of an
 * indented one on large configs (pipe it through `jq .` to read it).
 */
import type { Report } from './contract';

export function renderJson(report: Report): string {
  return JSON.stringify(report) + '\n';
}
