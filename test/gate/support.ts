/**
 * Runs a buildspec's commands the way CodeBuild does (version 0.2): one bash session for the
 * whole build, phases in order, a phase stops at its first failing command; a failure in install
 * or pre_build ends the build, a failure in build still runs post_build with
 * CODEBUILD_BUILD_SUCCEEDING=0 (CodeBuild user guide, "Build phase transitions").
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface PhaseResult {
  readonly phase: string;
  readonly failed: boolean;
}

export interface BuildRun {
  readonly code: number;
  readonly phases: PhaseResult[];
  readonly log: string;
}

const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bash script that runs `buildspec` as CodeBuild would; phase outcomes go to `$PHASE_LOG`. */
export function buildScript(buildspec: string): string {
  const spec = parse(buildspec) as { phases: Record<string, { commands?: string[] }> };
  const lines = ['export CODEBUILD_BUILD_SUCCEEDING=1', 'gantry_ended=0'];
  for (const phase of PHASES) {
    const cmds = spec.phases[phase]?.commands;
    if (!cmds) continue;
    lines.push(`if [ "$gantry_ended" = 0 ]; then`, '  gantry_failed=0');
    for (const c of cmds) {
      lines.push(`  if [ "$gantry_failed" = 0 ]; then echo "[Container] Running command "${q(c)}; eval ${q(c)} || gantry_failed=1; fi`);
    }
    lines.push(`  echo "${phase} $gantry_failed" >> "$PHASE_LOG"`);
    lines.push('  if [ "$gantry_failed" = 1 ]; then CODEBUILD_BUILD_SUCCEEDING=0;');
    if (phase === 'install' || phase === 'pre_build') lines.push('    gantry_ended=1;');
    lines.push('  fi', 'fi');
  }
  lines.push('[ "$CODEBUILD_BUILD_SUCCEEDING" = 1 ]');
  return lines.join('\n') + '\n';
}

export function runBuildspec(buildspec: string, cwd: string, env: NodeJS.ProcessEnv, workDir: string): Promise<BuildRun> {
  const script = path.join(workDir, 'build.sh');
  const phaseLog = path.join(workDir, 'phases.log');
  fs.writeFileSync(script, buildScript(buildspec));
  fs.rmSync(phaseLog, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd, env: { ...env, PHASE_LOG: phaseLog, CODEBUILD_SRC_DIR: cwd } });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const phases = fs.existsSync(phaseLog)
        ? fs.readFileSync(phaseLog, 'utf8').trim().split('\n').map((l) => ({ phase: l.split(' ')[0], failed: l.split(' ')[1] === '1' }))
        : [];
      resolve({ code: code ?? -1, phases, log });
    });
  });
}

/**
 * A fake `aws` (first on PATH) that appends each call to `$AWS_CALLS` as JSON (argv, plus the
 * text of any `file://` argument) and answers `codecommit get-pull-request` with
 * `$FAKE_REVISION_ID` and `$FAKE_CURRENT_SOURCE` the way `--query ... --output text` prints them.
 */
export function fakeAws(binDir: string): void {
  const js = `#!/usr/bin/env node
const fs = require('fs');
const argv = process.argv.slice(2);
const files = {};
for (const a of argv) if (a.startsWith('file://')) files[a] = fs.readFileSync(a.slice(7), 'utf8');
fs.appendFileSync(process.env.AWS_CALLS, JSON.stringify({ argv, files }) + '\\n');
if (argv[0] === 'codecommit' && argv[1] === 'get-pull-request') {
  const query = argv[argv.indexOf('--query') + 1];
  if (query !== '[pullRequest.revisionId, pullRequest.pullRequestTargets[0].sourceCommit]' || argv[argv.indexOf('--output') + 1] !== 'text') {
    process.stderr.write('fake aws: unexpected query ' + query + '\\n'); process.exit(255);
  }
  process.stdout.write(process.env.FAKE_REVISION_ID + '\\t' + process.env.FAKE_CURRENT_SOURCE + '\\n');
}
`;
  fs.writeFileSync(path.join(binDir, 'aws'), js, { mode: 0o755 });
}

/**
 * An \`npm\` first on PATH that records \`npm ci\` and skips it (node_modules is this checkout's,
 * linked: a real \`npm ci\` would delete it) and hands every other command to the real npm.
 */
export function npmSkippingCi(binDir: string, realNpm: string): void {
  fs.writeFileSync(
    path.join(binDir, 'npm'),
    `#!/usr/bin/env bash\nif [ "$1" = ci ]; then echo "npm $*" >> "$NPM_CALLS"; exit 0; fi\nexec ${q(realNpm)} "$@"\n`,
    { mode: 0o755 },
  );
}
