/** Runs shellcheck and `bash -n`. On CI (CI=true) a missing shellcheck is a failure; elsewhere the caller skips with a visible notice. */
import { spawnSync } from 'node:child_process';

export function shellcheckOnPath(): boolean {
  return spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function shellcheckReady(suite: string): boolean {
  if (shellcheckOnPath()) return true;
  const why = 'shellcheck is not on PATH (Debian: apt-get install shellcheck)';
  if (process.env.CI === 'true') throw new Error(`${suite}: ${why}; shell scripts must be checked on CI`);
  // eslint-disable-next-line no-console
  console.warn(`NOTICE: skipping shellcheck in "${suite}": ${why}`);
  return false;
}

export interface CheckResult {
  ok: boolean;
  output: string;
}

/** shellcheck with sourced files followed (-x) at the default severity (style and up). */
export function shellcheck(files: string[], cwd?: string, extra: string[] = []): CheckResult {
  const r = spawnSync('shellcheck', ['-x', '--format=gcc', ...extra, ...files], { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** shellcheck on a script given as text (read from stdin), as bash. */
export function shellcheckText(script: string, extra: string[] = []): CheckResult {
  const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', ...extra, '-'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function bashSyntax(file: string): CheckResult {
  const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stderr };
}

export function bashSyntaxText(script: string): CheckResult {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stderr };
}
