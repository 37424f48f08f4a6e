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
 * text of any `file://` argument) and answers:
 * - `s3 cp` between local files and `s3://bucket/key`, kept under `$FAKE_S3/bucket/key`;
 * - `codebuild batch-get-builds --ids <id> --query $FAKE_BUILD_QUERY --output text` from the build
 *   JSON the test wrote to `$FAKE_BUILDS/<uuid>.json` (status, commit, the overrides' values);
 * - `codecommit get-pull-request` with `$FAKE_REVISION_ID` and `$FAKE_CURRENT_SOURCE` the way
 *   `--query ... --output text` prints them.
 * Any other query or command fails, so a changed buildspec cannot pass unnoticed.
 */
export function fakeAws(binDir: string): void {
  const js = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const argv = process.argv.slice(2);
const files = {};
for (const a of argv) if (a.startsWith('file://')) files[a] = fs.readFileSync(a.slice(7), 'utf8');
fs.appendFileSync(process.env.AWS_CALLS, JSON.stringify({ argv, files }) + '\\n');
const opt = (name) => argv[argv.indexOf(name) + 1];
const fail = (m) => { process.stderr.write('fake aws: ' + m + '\\n'); process.exit(255); };
const s3 = (u) => path.join(process.env.FAKE_S3, u.slice('s3://'.length));
const cmd = argv[0] + ' ' + argv[1];
if (cmd === 's3 cp') {
  const [src, dst] = argv.slice(2);
  if (dst.startsWith('s3://')) { fs.mkdirSync(path.dirname(s3(dst)), { recursive: true }); fs.copyFileSync(src, s3(dst)); }
  else if (src.startsWith('s3://')) { if (!fs.existsSync(s3(src))) fail('An error occurred (404) when calling the HeadObject operation: Key "' + src + '" does not exist'); fs.copyFileSync(s3(src), dst); }
  else fail('s3 cp needs one s3:// side');
} else if (cmd === 'codebuild batch-get-builds') {
  if (opt('--query') !== process.env.FAKE_BUILD_QUERY || opt('--output') !== 'text') fail('unexpected query ' + opt('--query'));
  const file = path.join(process.env.FAKE_BUILDS, opt('--ids').replace(/.*:/, '') + '.json');
  if (!fs.existsSync(file)) fail('no build ' + opt('--ids'));
  const b = JSON.parse(fs.readFileSync(file, 'utf8'));
  const v = (n) => (b.environment.environmentVariables.find((e) => e.name === n) || { value: 'None' }).value;
  process.stdout.write([b.buildStatus, b.resolvedSourceVersion, v('PULL_REQUEST_ID'), v('SOURCE_COMMIT'), v('DESTINATION_COMMIT')].join('\\t') + '\\n');
} else if (cmd === 'codecommit get-pull-request') {
  if (opt('--query') !== '[pullRequest.revisionId, pullRequest.pullRequestTargets[0].sourceCommit]' || opt('--output') !== 'text') fail('unexpected query ' + opt('--query'));
  process.stdout.write(process.env.FAKE_REVISION_ID + '\\t' + process.env.FAKE_CURRENT_SOURCE + '\\n');
} else if (cmd !== 'codecommit post-comment-for-pull-request' && cmd !== 'codecommit update-pull-request-approval-state') {
  fail('unexpected command ' + cmd);
}
`;
  fs.writeFileSync(path.join(binDir, 'aws'), js, { mode: 0o755 });
}

/** What `tsc -p tsconfig.build.json` compiles, by content: equal hashes mean equal builds. */
export const INPUTS_HASH = 'gantry-build-inputs';

/**
 * An \`npm\` first on PATH whose \`npm ci\` builds the way the real one does here (\`npm ci\` runs the
 * package's \`prepare\` script, \`tsc -p tsconfig.build.json\`) without reinstalling: node_modules
 * is this checkout's, linked in (a real \`npm ci\` would delete it). The build starts from
 * \`$GANTRY_DIST_SEED\` (one build of the destination commit, tsbuildinfo included): a tree whose
 * compiler inputs hash the same as the seed's gets the seed's output as is; any other runs the
 * tree's own \`prepare\` with \`--incremental\`, which re-checks by content and recompiles what
 * changed. Every other command goes to the real npm. Also writes \`gantry-build-inputs\`, the hash.
 */
export function npmCiBuilds(binDir: string, realNpm: string, nodeModules: string): void {
  fs.writeFileSync(
    path.join(binDir, INPUTS_HASH),
    [
      '#!/usr/bin/env bash',
      'set -o pipefail',
      'find main.ts gantry.config.ts package.json tsconfig.json tsconfig.build.json stacks auditor policies bench -type f | LC_ALL=C sort | xargs sha1sum | sha1sum | cut -c1-40',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(binDir, 'npm'),
    [
      '#!/usr/bin/env bash',
      'if [ "$1" = ci ]; then',
      `  [ -e node_modules ] || ln -s ${q(nodeModules)} node_modules`,
      '  [ -d dist ] || [ -z "$GANTRY_DIST_SEED" ] || cp -a "$GANTRY_DIST_SEED" dist',
      `  if [ -n "$GANTRY_DIST_SEED" ] && [ "$(${q(path.join(binDir, INPUTS_HASH))})" = "$(cat "$GANTRY_DIST_SEED.inputs")" ]; then`,
      '    echo "npm $* in $(basename "$PWD"): seed build reused" >> "$NPM_CALLS"; exit 0',
      '  fi',
      '  echo "npm $* in $(basename "$PWD"): compiled" >> "$NPM_CALLS"',
      `  exec ${q(realNpm)} run prepare -- --incremental`,
      'fi',
      `exec ${q(realNpm)} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}
