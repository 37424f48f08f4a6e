/** The collaborators the CLI tests run with: the real ones. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPeers } from '../../auditor/engine/peers';
import * as load from '../../auditor/load';

// TEMPORARY until auditor/load/files.ts lands: read *.tf.json files with the real model builder.
const interim: typeof defaultPeers.loadInputs = (paths) => {
  const stacks: Record<string, unknown> = {};
  const files: Record<string, string> = {};
  for (const p of paths) {
    const name = path.basename(p).replace(/\.tf\.json$/, '');
    stacks[name] = JSON.parse(fs.readFileSync(p, 'utf8'));
    files[name] = p;
  }
  return load.modelFromTerraformJson(stacks, { files });
};

export const PEERS = typeof (load as { loadInputs?: unknown }).loadInputs === 'function' ? defaultPeers : { ...defaultPeers, loadInputs: interim };
