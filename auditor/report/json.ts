/** `--format json`: exactly the contract (auditor/report/contract.ts), pretty-printed. */
import type { Report } from './contract';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
