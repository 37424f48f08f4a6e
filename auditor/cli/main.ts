#!/usr/bin/env node
/**
 * The `gantry` CLI. Exit codes (the contract): 0 passed · 1 a finding at or above --fail-on, or
 * the budget exceeded · 2 bad usage or bad input. Every user mistake is one line on stderr;
 * internal bugs are one line too (`internal error: …`), with the stack only when GANTRY_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors';
import type { AuditPeers } from '../engine/peers';
import { toolVersion } from '../report/build';
import { registerAudit } from './commands/audit';
import { register as registerPrices } from './commands/prices';
import { registerRules } from './commands/rules';
import { register as registerUsage } from './commands/usage';
import { processIo, type CliIo } from './io';

export interface MainOptions {
  readonly peers?: AuditPeers;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

export function buildProgram(io: CliIo, setExitCode: (code: number) => void, options: MainOptions = {}): Command {
  const program = new Command('gantry');
  program
    .description('Audit Terraform configs and plans for least-privilege IAM, encryption, quotas and monthly cost')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`gantry: ${oneLine(s).replace(/^error: /, '')}\n`),
    });
  registerAudit(program, { io, peers: options.peers, setExitCode });
  registerUsage(program, { io });
  registerPrices(program, { io });
  registerRules(program, { io });
  for (const c of program.commands) c.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  let code = 0;
  try {
    const program = buildProgram(io, (c) => (code = c), options);
    if (!argv.length) {
      io.stderr(program.helpInformation());
      return 2;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every parse error was already printed as one line.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      io.stderr(`gantry: ${oneLine(e.message)}\n`);
      return 2;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`gantry: internal error: ${oneLine(err.message) || err.name}\n`);
    if (io.env.GANTRY_DEBUG === '1' && err.stack) io.stderr(err.stack + '\n');
    return 2;
  }
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`gantry: internal error: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
