/**
 * `gantry prices refresh` (maintainers): rebuild the bundled price snapshot from the live AWS
 * Price List API with today's date.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { PricingClient } from '@aws-sdk/client-pricing';
import { defaultSnapshotPath, loadSnapshot } from '../../pricing/snapshot';
// Loaded when the command runs: it pulls in the AWS SDK pricing client, which every other command (audit) would pay for at start-up.
import type * as Refresh from '../../pricing/refresh';
import { processIo, writeFileAtomic, type CliIo } from '../io';

export interface PricesDeps {
  io?: CliIo;
  client?: PricingClient;
}

export function register(program: Command, deps: PricesDeps = {}): void {
  const prices = program.command('prices').description('price snapshot maintenance');
  prices
    .command('refresh')
    .description('rebuild the price snapshot from the live AWS Price List API, dated today')
    .option('--snapshot <file>', 'the snapshot to start from (default: the bundled one)')
    .option('--output <file>', 'where to write the new snapshot (default: over --snapshot)')
    .option('--region <region...>', 'regions to build (default: the snapshot\'s regions)')
    .action(async (flags: { snapshot?: string; output?: string; region?: string[] }) => {
      const io = deps.io ?? processIo();
      const now = io.now ? io.now() : new Date();
      const from = flags.snapshot ? path.resolve(io.cwd, flags.snapshot) : defaultSnapshotPath();
      const old = loadSnapshot(from);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { refreshSnapshot } = require('../../pricing/refresh') as typeof Refresh;
      const result = await refreshSnapshot(old, {
        client: deps.client,
        today: now.toISOString().slice(0, 10),
        regions: flags.region,
        warn: (m) => io.stderr(`gantry: warning: ${m}\n`),
      });
      const out = flags.output ?? from;
      writeFileAtomic(out, JSON.stringify(result.snapshot, null, 2) + '\n', io.cwd);
      io.stdout(`${out}: ${result.updated.length} price rows refreshed on ${result.snapshot.asOf}; ${result.kept.length} kept from the previous snapshot${result.kept.length ? ` (${result.kept.join(', ')})` : ''}\n`);
    });
}
