/** Where suppressions files are found when `--suppressions` is not given. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SUPPRESSIONS_FILE = 'gantry.suppressions.yml';

/**
 * `gantry.suppressions.yml` next to each input (beside a file; inside or beside a folder such as
 * cdktf.out), then in the working directory; each file once.
 */
export function discoverSuppressionsFiles(inputs: readonly string[], cwd: string): string[] {
  const candidates: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let isDir = false;
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      continue;
    }
    if (isDir) candidates.push(path.join(abs, SUPPRESSIONS_FILE));
    candidates.push(path.join(path.dirname(abs), SUPPRESSIONS_FILE));
  }
  candidates.push(path.join(cwd, SUPPRESSIONS_FILE));
  const found: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    let real: string;
    try {
      if (!fs.statSync(c).isFile()) continue;
      real = fs.realpathSync(c);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(path.relative(cwd, c) || c);
  }
  return found;
}
