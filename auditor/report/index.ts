/** The five report formats. */
import type { Report } from './contract';
import type { RenderContext } from './context';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';
import { renderTable } from './table';

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function render(format: Format, report: Report, ctx: RenderContext): string {
  switch (format) {
    case 'table':
      return renderTable(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, ctx);
    case 'junit':
      return renderJunit(report, ctx);
    case 'markdown':
      return renderMarkdown(report);
  }
}

export { buildReport, failsGate, toolVersion } from './build';
export type { BuildInput, FailOn } from './build';
export type { RenderContext } from './context';
export type * from './contract';
