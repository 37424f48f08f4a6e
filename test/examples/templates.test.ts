/**
 * The merge-gate templates (templates/): the GitHub Actions workflow and the CodeBuild buildspec
 * for non-Gantry Terraform repositories. Both parse; the workflow has the permissions and steps
 * the gate needs, its shell steps pass bash -n and shellcheck and behave as written, and its
 * comment script finds and updates its own comment; the buildspec passes the buildspec validator
 * and, run against real Terraform plans, passes a clean configuration and fails a planted violation.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildspecCommands, validateBuildspec } from './support/buildspec';
import { bashSyntaxText, shellcheckReady, shellcheckText } from './support/shell';
import { descendants, parseXml } from './support/xml';
import { isMap } from './support/yaml-doc';
import { OFFLINE_PROVIDER, terraformReady, tfEnv } from '../support/terraform';

const ROOT = path.resolve(__dirname, '../..');
const WORKFLOW_FILE = path.join(ROOT, 'templates/github-actions/gantry-audit.yml');
const BUILDSPEC_FILE = path.join(ROOT, 'templates/codebuild/buildspec-gantry-audit.yml');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean | string;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; 'runs-on': string }>;
}

const workflow = parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs)[0].steps;
const stepIndex = (pred: (s: Step) => boolean, what: string): number => {
  const i = steps.findIndex(pred);
  if (i < 0) throw new Error(`workflow has no step that ${what}`);
  return i;
};
/** GitHub expressions are not shell; give the shell checkers a plain word in their place. */
const shellOf = (run: string) => run.replace(/\$\{\{[^}]*\}\}/g, 'GH_EXPRESSION');

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fake `gantry` that records its arguments, writes --output, and exits with $FAKE_GANTRY_EXIT. */
function fakeGantry(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'gantry'),
    `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "${dir}/gantry-calls.log"
out=""
while [ $# -gt 0 ]; do if [ "$1" = --output ]; then out="$2"; fi; shift; done
if [ -n "$out" ]; then printf '## Gantry report\\n' > "$out"; fi
exit "\${FAKE_GANTRY_EXIT:-0}"
`,
    { mode: 0o755 },
  );
  return bin;
}

describe('templates/github-actions/gantry-audit.yml', () => {
  test('runs on pull requests with exactly the permissions the gate needs', () => {
    expect(Object.keys(workflow.on)).toContain('pull_request');
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write', 'pull-requests': 'write' });
    expect(workflow.env.FAIL_ON).toBe('high');
  });

  test('checks out, sets up Node 20, installs with npm ci, synthesizes, audits to SARIF (continuing on error) and uploads it', () => {
    const checkout = stepIndex((s) => /^actions\/checkout@v\d+$/.test(s.uses ?? ''), 'checks out');
    const node = stepIndex((s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''), 'sets up Node');
    expect(String(steps[node].with?.['node-version'])).toBe('20');
    const install = stepIndex((s) => /^npm ci\b/.test(s.run ?? ''), 'runs npm ci');
    const synth = stepIndex((s) => (s.run ?? '').trim() === 'npm run synth' && !s['working-directory'], 'synthesizes');
    const sarif = stepIndex((s) => /gantry audit cdktf\.out --format sarif --output gantry\.sarif/.test(s.run ?? ''), 'writes SARIF');
    expect(steps[sarif]['continue-on-error']).toBe(true);
    const upload = stepIndex((s) => /^github\/codeql-action\/upload-sarif@v\d+$/.test(s.uses ?? ''), 'uploads SARIF');
    expect(steps[upload].with?.sarif_file).toBe('gantry.sarif');
    expect(steps[upload].if).toMatch(/always\(\)/);
    expect([checkout, node, install, synth, sarif, upload]).toEqual([...[checkout, node, install, synth, sarif, upload]].sort((a, b) => a - b));
  });

  test('compares against the base branch synthesis, comments, then fails per the audit exit code', () => {
    const baseCheckout = stepIndex((s) => /^actions\/checkout@/.test(s.uses ?? '') && String(s.with?.ref ?? '').includes('pull_request.base.sha'), 'checks out the base');
    const baseSynth = stepIndex((s) => s['working-directory'] === steps[baseCheckout].with?.path && /npm run synth/.test(s.run ?? ''), 'synthesizes the base');
    const audit = stepIndex((s) => /--format markdown/.test(s.run ?? '') && /--compare/.test(s.run ?? ''), 'audits with --compare');
    expect(steps[audit].id).toBe('audit');
    const comment = stepIndex((s) => /^actions\/github-script@v\d+$/.test(s.uses ?? ''), 'comments');
    const gate = steps.length - 1;
    expect(steps[gate].env?.EXIT_CODE).toContain('steps.audit.outputs.exit-code');
    expect(baseCheckout < baseSynth && baseSynth < audit && audit < comment && comment < gate).toBe(true);
    expect(steps[comment].if).toMatch(/always\(\)/);
    expect(steps[gate].if).toMatch(/always\(\)/);
  });

  test('every run step is valid bash', () => {
    for (const s of steps.filter((x) => x.run)) expect({ step: s.name, ...bashSyntaxText(shellOf(s.run!)) }).toMatchObject({ ok: true });
  });

  const canShellcheck = shellcheckReady('templates/github-actions shell steps');
  (canShellcheck ? test : test.skip)('every run step passes shellcheck', () => {
    for (const s of steps.filter((x) => x.run)) expect({ step: s.name, ...shellcheckText(shellOf(s.run!)) }).toEqual({ step: s.name, ok: true, output: '' });
  });

  test('the markdown audit step records the exit code and passes --compare only when the base synthesized', () => {
    const run = steps.find((s) => s.id === 'audit')!.run!;
    for (const [withBase, exit] of [
      [true, 1],
      [false, 0],
      [true, 2],
    ] as const) {
      const dir = tmp('gantry-gh-audit-');
      try {
        if (withBase) fs.mkdirSync(path.join(dir, '.gantry-base', 'cdktf.out'), { recursive: true });
        const bin = fakeGantry(dir);
        const out = path.join(dir, 'out.txt');
        const summary = path.join(dir, 'summary.md');
        const r = spawnSync('bash', ['-e', '-c', run], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAIL_ON: 'high', BUDGET: '250', GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, GITHUB_EVENT_NAME: 'pull_request', FAKE_GANTRY_EXIT: String(exit) },
        });
        expect(r.status).toBe(0); // the step itself never fails; the gate step decides
        expect(fs.readFileSync(out, 'utf8')).toBe(`exit-code=${exit}\n`);
        const call = fs.readFileSync(path.join(dir, 'gantry-calls.log'), 'utf8');
        expect(call).toContain('audit cdktf.out --format markdown --output gantry.md --fail-on high --budget 250');
        expect(call.includes('--compare .gantry-base/cdktf.out')).toBe(withBase);
        expect(fs.readFileSync(summary, 'utf8')).toContain('## Gantry report');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test('the gate step fails on exit code 1 and 2 and passes on 0', () => {
    const gate = steps[steps.length - 1].run!;
    const status = (code: string) => spawnSync('bash', ['-e', '-c', gate], { encoding: 'utf8', env: { ...process.env, EXIT_CODE: code, FAIL_ON: 'high' } }).status;
    expect([status('0'), status('1'), status('2')]).toEqual([0, 1, 2]);
  });

  describe('the comment script', () => {
    const script = String(steps.find((s) => (s.uses ?? '').startsWith('actions/github-script'))!.with!.script);
    const marker = /const marker = '([^']+)'/.exec(script)![1];
    type Comment = { id: number; body: string; user: { type: string } };

    async function runScript(existing: Comment[], opts: { report?: string; exit?: string; fail403?: boolean } = {}) {
      const dir = tmp('gantry-gh-comment-');
      const reportFile = path.join(dir, 'gantry.md');
      if (opts.report !== undefined) fs.writeFileSync(reportFile, opts.report);
      const calls: { op: string; args: Record<string, unknown> }[] = [];
      const warnings: string[] = [];
      const listComments = async () => ({ data: existing });
      const github = {
        paginate: async (fn: unknown, args: Record<string, unknown>) => {
          calls.push({ op: 'list', args });
          expect(fn).toBe(listComments);
          return existing;
        },
        rest: {
          issues: {
            listComments,
            updateComment: async (args: Record<string, unknown>) => {
              if (opts.fail403) throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
              calls.push({ op: 'update', args });
            },
            createComment: async (args: Record<string, unknown>) => {
              if (opts.fail403) throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
              calls.push({ op: 'create', args });
              return { data: { id: 99 } };
            },
          },
        },
      };
      const context = {
        serverUrl: 'https://github.com',
        runId: 42,
        sha: 'mergecommitsha',
        repo: { owner: 'acme', repo: 'infra' },
        issue: { number: 7 },
        payload: { pull_request: { head: { sha: 'abcdef0123456789' } } },
      };
      const core = { info: () => undefined, warning: (m: string) => void warnings.push(m) };
      const saved = { ...process.env };
      Object.assign(process.env, { GANTRY_EXIT_CODE: opts.exit ?? '0', GANTRY_REPORT: reportFile, FAIL_ON: 'high' });
      try {
        // actions/github-script runs the script as the body of an async function with these names in scope
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
        await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core);
      } finally {
        process.env = saved;
        fs.rmSync(dir, { recursive: true, force: true });
      }
      return { calls, warnings };
    }

    test('creates one comment, with the marker, verdict, report and head commit, when there is none', async () => {
      const { calls } = await runScript([{ id: 1, body: 'LGTM', user: { type: 'User' } }], { report: '| new | finding |', exit: '1' });
      expect(calls.map((c) => c.op)).toEqual(['list', 'create']);
      const body = String(calls[1].args.body);
      expect(body.startsWith(marker)).toBe(true);
      expect(body).toContain('failed (--fail-on high)');
      expect(body).toContain('| new | finding |');
      expect(body).toContain('abcdef0');
      expect(calls[1].args).toMatchObject({ owner: 'acme', repo: 'infra', issue_number: 7 });
    });

    test('updates its own earlier comment instead of adding another', async () => {
      const { calls } = await runScript(
        [
          { id: 5, body: `quoting ${marker} by hand`, user: { type: 'User' } },
          { id: 6, body: `${marker}\nold report`, user: { type: 'Bot' } },
        ],
        { report: 'fresh', exit: '0' },
      );
      expect(calls.map((c) => c.op)).toEqual(['list', 'update']);
      expect(calls[1].args).toMatchObject({ comment_id: 6 });
      expect(String(calls[1].args.body)).toContain('passed');
      expect(String(calls[1].args.body)).toContain('fresh');
    });

    test('truncates a report too long for a comment and links the run', async () => {
      const { calls } = await runScript([], { report: 'x'.repeat(70000) });
      const body = String(calls[1].args.body);
      expect(body.length).toBeLessThan(65536);
      expect(body).toContain('https://github.com/acme/infra/actions/runs/42');
    });

    test('warns instead of failing when the token cannot comment (forks)', async () => {
      const { warnings } = await runScript([], { report: 'r', fail403: true });
      expect(warnings.join('\n')).toMatch(/no permission to comment/);
    });

    test('says so when no report was written', async () => {
      const { calls } = await runScript([], { exit: '2' });
      expect(String(calls[1].args.body)).toMatch(/could not run \(exit code 2\)[\s\S]*No report was written/);
    });
  });
});

describe('templates/codebuild/buildspec-gantry-audit.yml', () => {
  const text = fs.readFileSync(BUILDSPEC_FILE, 'utf8');
  const { spec, problems } = validateBuildspec(text, 'buildspec-gantry-audit.yml');
  const commands = buildspecCommands(spec);

  test('passes the buildspec validator', () => {
    expect(problems).toEqual([]);
  });

  test('plans, shows the plan as JSON and audits it into the JUnit report group', () => {
    const all = commands.map((c) => c.command).join('\n');
    expect(all).toMatch(/terraform -chdir="\$\{TF_DIR\}" plan [^\n]*-out=gantry-plan\.bin/);
    expect(all).toContain('terraform -chdir="${TF_DIR}" show -json gantry-plan.bin > "${TF_DIR}/gantry-plan.json"');
    if (!isMap(spec) || !isMap(spec.reports)) throw new Error('no reports');
    const group = Object.values(spec.reports)[0] as { files: string[]; 'base-directory': string; 'file-format': string };
    expect(group['file-format']).toBe('JUNITXML');
    expect(all).toContain(`gantry audit "\${TF_DIR}/gantry-plan.json" --format junit --output "\${CODEBUILD_SRC_DIR}/${group['base-directory']}/${group.files[0]}"`);
    expect(all).toContain('gantry audit "${TF_DIR}/gantry-plan.json" --format markdown');
    expect(all).not.toMatch(/npx gantry/);
  });

  test('its commands, run in one shell as CodeBuild does, are valid bash', () => {
    expect(bashSyntaxText(commands.map((c) => c.command).join('\n'))).toEqual({ ok: true, output: '' });
  });

  const canShellcheck = shellcheckReady('templates/codebuild buildspec commands');
  (canShellcheck ? test : test.skip)('its commands pass shellcheck', () => {
    expect(shellcheckText(commands.map((c) => c.command).join('\n'))).toEqual({ ok: true, output: '' });
  });

  const canTerraform = terraformReady('templates/codebuild buildspec against real plans');
  (canTerraform ? describe : describe.skip)('pre_build and build run for real (terraform offline, the gantry CLI from this repository)', () => {
    let work: string;
    let bin: string;
    let pluginCache: string;
    beforeAll(() => {
      work = tmp('gantry-cb-template-');
      bin = path.join(work, 'bin');
      fs.mkdirSync(bin);
      pluginCache = path.join(work, 'plugin-cache');
      fs.mkdirSync(pluginCache);
      // `gantry` as GANTRY_PACKAGE would install it: this repository's CLI, TypeScript transpiled on load.
      fs.writeFileSync(
        path.join(bin, 'gantry-cli.js'),
        `const ts = require(${JSON.stringify(path.join(ROOT, 'node_modules/typescript'))});
const fs = require('fs');
const cacheDir = ${JSON.stringify(path.join(work, 'js-cache'))};
fs.mkdirSync(cacheDir, { recursive: true });
require.extensions['.ts'] = (m, filename) => {
  const cached = require('path').join(cacheDir, filename.replace(/[^A-Za-z0-9]/g, '_') + '_' + fs.statSync(filename).mtimeMs + '.js');
  let js;
  try { js = fs.readFileSync(cached, 'utf8'); } catch {
    js = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true } }).outputText;
    fs.writeFileSync(cached, js);
  }
  m._compile(js, filename);
};
require(${JSON.stringify(path.join(ROOT, 'auditor/cli/main.ts'))}).main(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e) => { console.error(e); process.exitCode = 2; });
`,
      );
      fs.writeFileSync(path.join(bin, 'gantry'), `#!/bin/sh\nexec node "${path.join(bin, 'gantry-cli.js')}" "$@"\n`, { mode: 0o755 });
    });
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

    function runBuild(name: string, resources: Record<string, unknown>) {
      const src = path.join(work, name);
      fs.mkdirSync(path.join(src, 'infra'), { recursive: true });
      fs.writeFileSync(
        path.join(src, 'infra', 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } }, provider: { aws: { region: 'us-east-1', ...OFFLINE_PROVIDER } }, resource: resources }, null, 2),
      );
      const vars = ((isMap(spec) && isMap(spec.env) && spec.env.variables) || {}) as Record<string, string>;
      const script = commands.filter((c) => c.phase === 'pre_build' || c.phase === 'build').map((c) => c.command).join('\n');
      // CodeBuild stops a phase at its first failing command; `set -e` does the same here.
      const r = spawnSync('bash', ['-e', '-c', script], {
        cwd: src,
        encoding: 'utf8',
        timeout: 240000,
        env: { ...tfEnv(), ...vars, TF_PLUGIN_CACHE_DIR: pluginCache, TF_WORKING_DIR: 'infra', CODEBUILD_SRC_DIR: src, PATH: `${bin}:${process.env.PATH}` },
      });
      return { status: r.status, out: `${r.stdout}${r.stderr}`, reports: path.join(src, 'gantry-reports') };
    }

    test('a clean configuration passes and still writes both reports', () => {
      const r = runBuild('clean', { terraform_data: { marker: { input: 'clean' } } });
      expect({ status: r.status, out: r.out }).toEqual({ status: 0, out: expect.stringContaining('Gantry audit passed') });
      const junit = parseXml(fs.readFileSync(path.join(r.reports, 'gantry-junit.xml'), 'utf8'));
      expect(descendants(junit, 'failure')).toHaveLength(0);
      expect(fs.existsSync(path.join(r.reports, 'gantry.md'))).toBe(true);
    });

    test('a planted violation (an admin policy) fails the build and shows up as a JUnit failure', () => {
      const r = runBuild('planted', {
        aws_iam_role: {
          build: { name: 'build', assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) },
        },
        aws_iam_role_policy: {
          admin: { role: '${aws_iam_role.build.name}', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) },
        },
      });
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('Gantry audit failed');
      const junit = parseXml(fs.readFileSync(path.join(r.reports, 'gantry-junit.xml'), 'utf8'));
      expect(descendants(junit, 'failure').length).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(r.reports, 'gantry.md'), 'utf8')).toMatch(/aws_iam_role_policy\.admin/);
    });
  });
});
