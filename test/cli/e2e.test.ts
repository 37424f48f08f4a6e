/**
 * The CLI as users run it: compiled with tsc (into a temporary folder, so a concurrent `npm run
 * build` is not disturbed) and spawned with node, as the `gantry` bin (dist/auditor/cli/main.js).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixedConfig, plantedConfig, tmpdir, write } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
let outDir: string;
let bin: string;

beforeAll(() => {
  outDir = tmpdir('gantry-e2e-build-');
  // tsc exits non-zero on type errors anywhere in the tree but still emits; the bin must exist.
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(outDir, 'dist')], { encoding: 'utf8' });
  // The package's layout: package.json, node_modules and the bundled data (policies/data) beside dist/.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(outDir, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'));
  fs.mkdirSync(path.join(outDir, 'policies'));
  fs.symlinkSync(path.join(ROOT, 'policies', 'data'), path.join(outDir, 'policies', 'data'));
  bin = path.join(outDir, 'dist', 'auditor', 'cli', 'main.js');
  if (!fs.existsSync(bin)) throw new Error(`tsc did not emit ${bin}`);
}, 600_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function gantry(args: string[], cwd: string) {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, GANTRY_DEBUG: '' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gantry (compiled, spawned)', () => {
  const cwd = tmpdir();
  write(cwd, 'cdktf.out/stacks/app/cdk.tf.json', plantedConfig());
  write(cwd, 'cdktf.out/manifest.json', { version: '0.21.0', stacks: { app: { name: 'app', synthesizedStackPath: 'stacks/app/cdk.tf.json', workingDirectory: 'stacks/app' } } });
  write(cwd, 'base/app.tf.json', fixedConfig());

  it('starts with a shebang and runs as an executable', () => {
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    fs.chmodSync(bin, 0o755);
    const r = gantry(['--version'], cwd);
    expect(r).toEqual({ code: 0, stdout: `${require('../../package.json').version}\n`, stderr: '' });
  });

  it('audits ./cdktf.out by default: table on stdout, exit 1 on the planted problems', () => {
    const r = gantry(['audit'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CRITICAL \(\d+\)/);
    expect(r.stdout).toMatch(/^FAILED \(--fail-on high\)/m);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('exit 0 with --fail-on none; JSON, SARIF, JUnit and Markdown to files with --output', () => {
    expect(gantry(['audit', 'cdktf.out', '--fail-on', 'none'], cwd).code).toBe(0);
    for (const [format, file] of [['json', 'r.json'], ['sarif', 'r.sarif'], ['junit', 'r.xml'], ['markdown', 'r.md']]) {
      const r = gantry(['audit', '--format', format, '--output', file], cwd);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(fs.statSync(path.join(cwd, file)).size).toBeGreaterThan(200);
    }
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'r.json'), 'utf8')).summary.failed).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(fs.readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the same report to stdout whether it is a pipe or a file (a file is written to directly)', () => {
    const piped = gantry(['audit', 'cdktf.out', '--format', 'json'], cwd);
    const file = path.join(cwd, 'redirected.json');
    const fd = fs.openSync(file, 'w');
    let r: ReturnType<typeof spawnSync>;
    try {
      r = spawnSync(bin, ['audit', 'cdktf.out', '--format', 'json'], { cwd, stdio: ['ignore', fd, 'pipe'], env: { ...process.env, GANTRY_DEBUG: '' }, timeout: 120_000 });
    } finally {
      fs.closeSync(fd);
    }
    expect(r.status).toBe(piped.code);
    const text = fs.readFileSync(file, 'utf8');
    fs.rmSync(file);
    expect(text.endsWith('}\n')).toBe(true);
    const generatedAt = (j: { generatedAt?: string }) => ({ ...j, generatedAt: undefined });
    expect(generatedAt(JSON.parse(text))).toEqual(generatedAt(JSON.parse(piped.stdout)));
    expect(piped.stdout.length).toBeGreaterThan(1000);
    // A file that cannot take the report (a full disk): one line naming stdout, exit 2.
    if (fs.existsSync('/dev/full')) {
      const full = fs.openSync('/dev/full', 'w');
      try {
        const f = spawnSync(bin, ['audit', 'cdktf.out', '--format', 'json'], { cwd, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, GANTRY_DEBUG: '' }, timeout: 120_000 });
        expect(f.status).toBe(2);
        expect(f.stderr).toBe('gantry: stdout: cannot write the report (ENOSPC)\n');
      } finally {
        fs.closeSync(full);
      }
    }
  });

  it('--compare with --new-only and --budget gate as the contract says', () => {
    const same = gantry(['audit', 'cdktf.out', '--compare', 'cdktf.out', '--new-only', '--format', 'json'], cwd);
    expect(same.code).toBe(0);
    const rep = JSON.parse(same.stdout);
    expect(rep.findings.length).toBeGreaterThan(0);
    expect(rep.cost.diff.monthlyDelta).toBe(0);
    expect(gantry(['audit', '--fail-on', 'none', '--budget', '0.001'], cwd).code).toBe(1);
    expect(gantry(['audit', '--fail-on', 'none', '--budget', '100000'], cwd).code).toBe(0);
  });

  it('bad usage and bad input: exit 2, one line, no stack trace', () => {
    for (const args of [['audit', '--format', 'pdf'], ['audit', '--budget', 'ten'], ['audit', 'nope.tf.json'], ['audit', '--bogus'], ['audit', '--fail-on', 'meh']]) {
      const r = gantry(args, cwd);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^gantry: [^\n]+\n$/);
    }
    write(cwd, 'deep.json', '['.repeat(200_000));
    const d = gantry(['audit', 'deep.json'], cwd);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^gantry: deep\.json: [^\n]+\n$/);
  });
});
