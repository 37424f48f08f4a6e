/** `gantry audit [INPUT...]`: the contract in ../shared/DESIGN.md, plus suppressions, --new-only and --markdown-report. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SEVERITY_ORDER } from '../../../policies/rule';
import { runAudit } from '../../audit';
import { UserError } from '../../errors';
import type { AuditPeers } from '../../engine/peers';
import { render, FORMATS, type Format, type FailOn } from '../../report';
import { jsonPieces } from '../../report/json';
import { writeFileAtomic, type CliIo } from '../io';

export const DEFAULT_INPUT = 'cdktf.out';

interface AuditFlags {
  format: Format;
  output?: string;
  failOn: FailOn;
  budget?: number;
  usage?: string;
  compare?: string;
  live?: boolean;
  offline?: boolean;
  region?: string;
  suppressions?: string | false;
  freeTier: boolean;
  newOnly?: boolean;
  markdownReport?: string;
  quotaWarnAt?: number;
}

function parseBudget(v: string): number {
  const n = Number(v.trim().replace(/^\$/, ''));
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not an amount of US dollars (e.g. 250 or 99.5)`);
  return n;
}

function parseRegion(v: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(v)) throw new InvalidArgumentError(`'${v}' is not an AWS region name (e.g. us-east-1)`);
  return v;
}

function parsePercent(v: string): number {
  const n = Number(v.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError(`'${v}' is not a percentage between 1 and 100`);
  return n / 100;
}

export interface AuditCommandDeps {
  readonly io: CliIo;
  readonly peers?: AuditPeers;
  /** Receives the exit code the command decided on. */
  setExitCode(code: number): void;
}

export function registerAudit(program: Command, deps: AuditCommandDeps): void {
  program
    .command('audit')
    .description('audit Terraform configs or plans for IAM, encryption, reliability, quotas and cost')
    .argument('[INPUT...]', `a cdktf.out folder, a folder of *.tf.json, one *.tf.json, or a plan JSON (default: ./${DEFAULT_INPUT})`)
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('table'))
    .option('--output <file>', 'write the report to FILE (atomically) instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 on a finding at or above this severity').choices([...SEVERITY_ORDER.filter((s) => s !== 'info'), 'none']).default('high'))
    .option('--budget <usd>', 'exit 1 when the estimated monthly total exceeds USD', parseBudget)
    .option('--usage <file>', 'usage assumptions (infracost-usage.yml format)')
    .option('--compare <input>', 'a base input: mark new findings and report the cost difference')
    .option('--new-only', 'with --compare: fail only on findings absent from the base (still lists the old ones)')
    .addOption(new Option('--live', 'use AWS APIs for prices, quotas and current usage').conflicts('offline'))
    .addOption(new Option('--offline', 'use the bundled dated snapshots only (default)').conflicts('live'))
    .option('--region <region>', 'region for prices and quotas when the input does not say', parseRegion)
    .option('--suppressions <file>', 'suppressions file (default: gantry.suppressions.yml next to the input or here)')
    .option('--no-suppressions', 'ignore every suppression (in code and in files)')
    .option('--no-free-tier', 'price without AWS free tiers')
    .option('--markdown-report <file>', 'also write the Markdown report (for a release or a PR comment) to FILE')
    .option('--quota-warn-at <percent>', 'quota utilization that counts as a warning (default 80)', parsePercent)
    .action(async (inputs: string[], flags: AuditFlags) => {
      const { io } = deps;
      const cwd = io.cwd;
      let list = inputs;
      if (!list.length) {
        if (!fs.existsSync(path.resolve(cwd, DEFAULT_INPUT))) {
          throw new UserError(DEFAULT_INPUT, 'not found; synthesize the stacks first (npm run synth) or name an input');
        }
        list = [DEFAULT_INPUT];
      }
      const toStdout = flags.output === undefined;
      const outcome = await runAudit(
        {
          inputs: list,
          cwd,
          failOn: flags.failOn,
          region: flags.region,
          live: flags.live === true,
          usage: flags.usage,
          freeTier: flags.freeTier,
          suppressions: flags.suppressions,
          compare: flags.compare,
          newOnly: flags.newOnly === true,
          budget: flags.budget,
          quotaWarnAt: flags.quotaWarnAt,
          now: io.now ? io.now() : new Date(),
          // The table shows notes itself; other formats keep stdout machine-readable, so say it on stderr.
          warn: flags.format === 'table' && toStdout ? undefined : (msg) => io.stderr(`gantry: warning: ${msg}\n`),
        },
        deps.peers,
      );
      const ctx = { rules: outcome.rules, cwd };
      // JSON is written in the pieces it is made of, each made as the one before is written (see
      // jsonPieces): never joined into one large string, nor all held at once.
      const text = flags.format === 'json' ? undefined : render(flags.format, outcome.report, ctx);
      const pieces: Iterable<string> = text === undefined ? jsonPieces(outcome.report) : [text];
      if (flags.markdownReport !== undefined) {
        writeFileAtomic(flags.markdownReport, flags.format === 'markdown' ? text! : render('markdown', outcome.report, ctx), cwd);
      }
      if (toStdout) for (const piece of pieces) io.stdout(piece);
      else writeFileAtomic(flags.output!, pieces, cwd);
      deps.setExitCode(outcome.report.summary.failed ? 1 : 0);
    });
}
