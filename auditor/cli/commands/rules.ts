/**
 * `gantry rules [--format table|json|markdown]`: the rule catalogue — id, category, severity,
 * title, and the equivalent checks in checkov / trivy / cdk-nag — straight from policies/.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Rule } from '../../../policies/rule';
import { SEVERITY_ORDER } from '../../../policies/rule';
import { processIo, type CliIo } from '../io';

export interface RulesDeps {
  io?: CliIo;
  /** The catalogue (default: policies/ ALL_RULES). */
  rules?: () => readonly Rule[];
}

function equivalents(r: Rule): string {
  const e = r.equivalents ?? {};
  return [...(e.checkov ?? []), ...(e.trivy ?? []), ...(e.cdkNag ?? [])].join(', ');
}

function sorted(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => a.category.localeCompare(b.category) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderRules(rules: readonly Rule[], format: 'table' | 'json' | 'markdown'): string {
  const list = sorted(rules);
  if (format === 'json') {
    return JSON.stringify(list.map(({ id, title, category, severity, rationale, remediation, equivalents: eq }) => ({ id, title, category, severity, rationale, remediation, equivalents: eq ?? {} })), null, 2) + '\n';
  }
  if (format === 'markdown') {
    const rows = list.map((r) => `| \`${r.id}\` | ${r.category} | ${r.severity} | ${cell(r.title)} | ${cell(equivalents(r)) || '—'} |`);
    return ['| rule | category | severity | checks | equivalents |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
  }
  const idWidth = Math.max(...list.map((r) => r.id.length), 4);
  const room = 120 - idWidth - 12; // two gaps of 2 and the 8-wide severity column
  const lines = list.map((r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${[...r.title].length > room ? [...r.title].slice(0, room - 1).join('') + '…' : r.title}`);
  return [`${'rule'.padEnd(idWidth)}  severity  title`, ...lines, `${list.length} rules`].join('\n') + '\n';
}

export function registerRules(program: Command, deps: RulesDeps = {}): void {
  program
    .command('rules')
    .description('list the rule catalogue (id, category, default severity, title, equivalents)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action((flags: { format: 'table' | 'json' | 'markdown' }) => {
      const io = deps.io ?? processIo();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const rules = deps.rules ? deps.rules() : (require('../../../policies') as { ALL_RULES: readonly Rule[] }).ALL_RULES;
      io.stdout(renderRules(rules, flags.format));
    });
}
