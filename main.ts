/**
 * The CDKTF app: `npm run synth` (or `cdktf synth`, which runs this file) validates
 * gantry.config.ts and writes cdktf.out/ (manifest.json + stacks/<name>/cdk.tf.json).
 */
import { UserError } from './auditor/errors';
import config from './gantry.config';
import { synthesize } from './stacks/app';
import { validateConfig } from './stacks/config/validate';

function main(): void {
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  try {
    const stacks = synthesize(validateConfig(config, 'gantry.config.ts'), outdir);
    process.stderr.write(`gantry: synthesized ${stacks.length} stacks into ${outdir}: ${stacks.join(', ')}\n`);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`gantry: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

main();
