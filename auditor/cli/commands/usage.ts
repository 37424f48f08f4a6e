/**
 * `gantry usage init [INPUT] --output FILE`: write an infracost-format usage file listing every
 * priced address and its usage keys, filled with the documented defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors';
import type { ResourceModel } from '../../model/types';
import { PRICER_BY_TYPE } from '../../pricing/resources';
import { wildcardOf } from '../../pricing/usage';
import type { UsageKeySpec } from '../../pricing/types';
import { processIo, writeFileAtomic, type CliIo } from '../io';

export interface UsageDeps {
  io?: CliIo;
  /** Loads inputs into a model (default: auditor/load's loadInputs). */
  load?: (paths: string[]) => ResourceModel;
}

const DEFAULT_INPUT = 'cdktf.out';

function yamlKey(k: string): string {
  return /^[A-Za-z0-9_./\-[\]*]+$/.test(k) && !/^[\d-]/.test(k) ? k : JSON.stringify(k);
}

/** The usage file text for a model: every priced address, its keys and their defaults. */
export function usageFileFor(model: ResourceModel): string {
  const entries = new Map<string, { type: string; keys: readonly UsageKeySpec[] }>();
  const stacksOf = new Map<string, Set<string>>();
  for (const n of model.resources) {
    if (n.mode !== 'managed' || n.action === 'delete' || n.action === 'read') continue;
    const pricer = PRICER_BY_TYPE.get(n.type);
    if (!pricer || pricer.usage.length === 0) continue;
    const addr = wildcardOf(n.address);
    const s = stacksOf.get(addr) ?? new Set<string>();
    s.add(n.stack);
    stacksOf.set(addr, s);
  }
  for (const n of model.resources) {
    if (n.mode !== 'managed' || n.action === 'delete' || n.action === 'read') continue;
    const pricer = PRICER_BY_TYPE.get(n.type);
    if (!pricer || pricer.usage.length === 0) continue;
    const addr = wildcardOf(n.address);
    const key = stacksOf.get(addr)!.size > 1 ? `${n.stack}/${addr}` : addr;
    entries.set(key, { type: n.type, keys: pricer.usage });
  }
  const lines = [
    '# Gantry usage file (infracost usage format, version 0.1).',
    '# Every priced address with its usage keys, filled with Gantry\'s documented defaults;',
    '# edit the numbers to your team\'s figures and pass the file with --usage.',
    '# Addresses may be prefixed `<stack>/`; `[*]` matches every instance.',
    'version: 0.1',
  ];
  if (entries.size === 0) {
    lines.push('resource_usage: {}');
    return lines.join('\n') + '\n';
  }
  lines.push('resource_usage:');
  for (const key of [...entries.keys()].sort()) {
    const { keys } = entries.get(key)!;
    lines.push(`  ${yamlKey(key)}:`);
    const open: string[] = [];
    for (const k of keys) {
      const parts = k.key.split('.');
      const leaf = parts.pop()!;
      let common = 0;
      while (common < open.length && common < parts.length && open[common] === parts[common]) common++;
      open.length = common;
      for (let i = common; i < parts.length; i++) {
        lines.push(`${'  '.repeat(2 + i)}${yamlKey(parts[i])}:`);
        open.push(parts[i]);
      }
      lines.push(`${'  '.repeat(2 + parts.length)}${yamlKey(leaf)}: ${k.default} # ${k.description.replace(/\s+/g, ' ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command, deps: UsageDeps = {}): void {
  const usage = program.command('usage').description('usage files (infracost format) for cost estimates');
  usage
    .command('init')
    .description('write a usage file listing every priced address and its keys, with the defaults filled in')
    .argument('[INPUT...]', `a cdktf.out folder, a folder of *.tf.json, one *.tf.json, or a plan JSON (default: ./${DEFAULT_INPUT})`)
    .option('--output <file>', 'write the usage file there (default: stdout)')
    .option('--force', 'overwrite --output if it exists')
    .action(async (inputs: string[], flags: { output?: string; force?: boolean }) => {
      const io = deps.io ?? processIo();
      const list = inputs.length ? inputs : [DEFAULT_INPUT];
      const abs = list.map((i) => path.resolve(io.cwd, i));
      for (let i = 0; i < abs.length; i++) if (!fs.existsSync(abs[i])) throw new UserError(list[i], 'not found');
      const load = deps.load ?? ((paths: string[]) => (require('../../load') as { loadInputs(p: string[]): ResourceModel }).loadInputs(paths));
      const text = usageFileFor(load(abs));
      if (flags.output === undefined) {
        io.stdout(text);
        return;
      }
      if (!flags.force && fs.existsSync(path.resolve(io.cwd, flags.output))) {
        throw new UserError(flags.output, 'already exists; pass --force to overwrite it');
      }
      writeFileAtomic(flags.output, text, io.cwd);
    });
}
