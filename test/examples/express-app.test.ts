/**
 * The sample application (examples/express-app): its buildspec and AppSpec files are well-formed
 * for their schemas, parameter and secret references stay inside /<app>/<env>/, every shell script
 * passes shellcheck and `bash -n`, the service answers /health, its own `node --test` suite writes
 * a JUnit report that parses, and the CodeDeploy lifecycle scripts deploy, validate and stop it.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildspecCommands, buildspecSecretRefs, scopedTo, validateBuildspec } from './support/buildspec';
import { hookScriptPaths, validateAppspec } from './support/appspec';
import { bashSyntax, bashSyntaxText, shellcheck, shellcheckReady, shellcheckText } from './support/shell';
import { descendants, parseXml } from './support/xml';
import { freePort, httpGet, waitFor } from './support/process';
import { isMap } from './support/yaml-doc';

const APP = path.resolve(__dirname, '../../examples/express-app');
const APP_NAME = 'express-app';
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const read = (rel: string) => fs.readFileSync(path.join(APP, rel), 'utf8');
const shellScripts = fs.readdirSync(path.join(APP, 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => path.join(APP, 'scripts', f));

describe('examples/express-app/buildspec.yml', () => {
  const { spec, problems } = validateBuildspec(read('buildspec.yml'), 'buildspec.yml');

  test('is a well-formed version 0.2 buildspec', () => {
    expect(problems).toEqual([]);
  });

  test('has the four phases, Node.js 20, a JUnit report group, a cache and the deployable artifact', () => {
    if (!isMap(spec) || !isMap(spec.phases)) throw new Error('no phases');
    expect(Object.keys(spec.phases)).toEqual(['install', 'pre_build', 'build', 'post_build']);
    expect(spec.phases.install).toMatchObject({ 'runtime-versions': { nodejs: 20 } });
    const reports = spec.reports as Record<string, { 'file-format': string; files: string[]; 'base-directory': string }>;
    const junit = Object.values(reports).filter((r) => r['file-format'] === 'JUNITXML');
    expect(junit).toHaveLength(1);
    // the report file is the one `npm run test:ci` writes
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test:ci']).toContain(`--test-reporter-destination=${junit[0]['base-directory']}/${junit[0].files[0]}`);
    expect(buildspecCommands(spec).some((c) => c.phase === 'build' && c.command === 'npm run test:ci')).toBe(true);
    expect((spec.cache as { paths: string[] }).paths.length).toBeGreaterThan(0);
    const env = spec.env as Record<string, unknown>;
    expect(env['exported-variables']).toEqual(expect.arrayContaining(['APP_VERSION']));
    expect(Object.keys(env['parameter-store'] as object).length).toBeGreaterThan(0);
    expect(Object.keys(env['secrets-manager'] as object).length).toBeGreaterThan(0);
  });

  test('reads parameters and secrets only under /<app>/<env>/', () => {
    const refs = buildspecSecretRefs(spec);
    expect(refs.map((r) => r.kind).sort()).toEqual(['parameter-store', 'secrets-manager']);
    for (const r of refs) expect({ ref: r, env: scopedTo(r.path, APP_NAME, ENVIRONMENTS) }).toEqual({ ref: r, env: expect.any(String) });
    // and the check itself refuses paths outside the scope
    expect(scopedTo('/express-app/prod', APP_NAME, ENVIRONMENTS)).toBeNull();
    expect(scopedTo('/other-app/dev/x', APP_NAME, ENVIRONMENTS)).toBeNull();
    expect(scopedTo('/express-app/dev/../prod/x', APP_NAME, ENVIRONMENTS)).toBeNull();
    expect(scopedTo('/express-app/qa/x', APP_NAME, ENVIRONMENTS)).toBeNull();
    expect(scopedTo('arn:aws:secretsmanager:eu-west-1:111122223333:secret:/express-app/prod/db-AbCdEf', APP_NAME, ENVIRONMENTS)).toBe('prod');
  });

  test('its commands are valid bash', () => {
    for (const c of buildspecCommands(spec)) expect({ command: c.command, ...bashSyntaxText(c.command) }).toMatchObject({ ok: true });
  });

  const canShellcheckCommands = shellcheckReady('examples/express-app buildspec commands');
  (canShellcheckCommands ? test : test.skip)('its commands, read as one bash script (one shell per build in version 0.2), pass shellcheck', () => {
    expect(shellcheckText(buildspecCommands(spec).map((c) => c.command).join('\n'))).toEqual({ ok: true, output: '' });
  });

  test('packages appspec.yml, the scripts and the service into the artifact (post_build run for real)', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-build-'));
    try {
      for (const f of ['package.json', 'package-lock.json', 'appspec.yml']) fs.copyFileSync(path.join(APP, f), path.join(work, f));
      for (const d of ['src', 'scripts']) fs.cpSync(path.join(APP, d), path.join(work, d), { recursive: true });
      const post = buildspecCommands(spec).filter((c) => c.phase === 'post_build').map((c) => c.command);
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', post.join('\n')], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, APP_VERSION: '1.0.0+abc1234', CODEBUILD_BUILD_SUCCEEDING: '1', npm_config_offline: 'true' },
      });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      const artifacts = spec && isMap(spec) ? (spec.artifacts as { 'base-directory': string }) : undefined;
      const bundle = path.join(work, artifacts!['base-directory']);
      expect(fs.readFileSync(path.join(bundle, 'VERSION'), 'utf8').trim()).toBe('1.0.0+abc1234');
      const check = validateAppspec(fs.readFileSync(path.join(bundle, 'appspec.yml'), 'utf8'), 'bundle/appspec.yml', 'server', { bundleRoot: bundle });
      expect(check.problems).toEqual([]);
      expect(fs.existsSync(path.join(bundle, 'src', 'server.js'))).toBe(true);
      // post_build refuses to package a failed build
      const failed = spawnSync('bash', ['-euo', 'pipefail', '-c', post.join('\n')], { cwd: work, encoding: 'utf8', env: { ...process.env, APP_VERSION: 'x', CODEBUILD_BUILD_SUCCEEDING: '0' } });
      expect(failed.status).not.toBe(0);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('examples/express-app AppSpec files', () => {
  test('EC2/on-premises appspec.yml: valid hooks with timeouts and runas; every hook script exists and is executable', () => {
    const check = validateAppspec(read('appspec.yml'), 'appspec.yml', 'server', { bundleRoot: APP });
    expect(check.problems).toEqual([]);
    expect(check.scripts.map((s) => s.event)).toEqual(['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService']);
    for (const s of check.scripts) {
      expect(s.timeout).toBeGreaterThan(0);
      expect(s.runas).toEqual(expect.any(String));
    }
    expect(hookScriptPaths(check, APP).every((p) => shellScripts.includes(p))).toBe(true);
  });

  test('ECS appspec: one AWS::ECS::Service with the container the task definition declares', () => {
    const check = validateAppspec(read('deploy/ecs/appspec.yml'), 'deploy/ecs/appspec.yml', 'ecs');
    expect(check.problems).toEqual([]);
    const lb = (check.spec as any).Resources[0].TargetService.Properties.LoadBalancerInfo as { ContainerName: string; ContainerPort: number };
    const taskdef = JSON.parse(read('deploy/ecs/taskdef.json')) as { containerDefinitions: { name: string; image: string; portMappings: { containerPort: number }[] }[] };
    const container = taskdef.containerDefinitions.find((c) => c.name === lb.ContainerName);
    expect(container).toBeDefined();
    expect(container!.portMappings.map((m) => m.containerPort)).toContain(lb.ContainerPort);
    expect(container!.image).toBe('<IMAGE1_NAME>');
  });

  test('Lambda appspec: one AWS::Lambda::Function shifting an alias between two published versions', () => {
    const check = validateAppspec(read('deploy/lambda/appspec.yml'), 'deploy/lambda/appspec.yml', 'lambda');
    expect(check.problems).toEqual([]);
  });

  test('an AppSpec for one platform is not accepted for another', () => {
    expect(validateAppspec(read('deploy/lambda/appspec.yml'), 'x', 'ecs').problems.join('\n')).toMatch(/must be AWS::ECS::Service/);
    expect(validateAppspec(read('appspec.yml'), 'x', 'lambda').problems.length).toBeGreaterThan(0);
    expect(validateAppspec(read('deploy/ecs/appspec.yml'), 'x', 'server').problems.join('\n')).toMatch(/os: required/);
  });
});

describe('examples/express-app shell scripts', () => {
  test('there are lifecycle scripts to check', () => {
    expect(shellScripts.map((f) => path.basename(f)).sort()).toEqual(['before_install.sh', 'common.sh', 'install_dependencies.sh', 'start.sh', 'stop.sh', 'validate.sh']);
  });

  test.each(shellScripts.map((f) => [path.basename(f), f]))('%s passes bash -n', (_name, file) => {
    expect(bashSyntax(file)).toEqual({ ok: true, output: '' });
  });

  const canShellcheck = shellcheckReady('examples/express-app shell scripts');
  (canShellcheck ? test : test.skip)('every script passes shellcheck (sourced files followed)', () => {
    const r = shellcheck(shellScripts, APP);
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });
});

describe('examples/express-app service', () => {
  test('starts on a free loopback port, answers GET /health with 200 JSON, stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/server.js'], { cwd: APP, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', APP_VERSION: '3.1.4-jest', APP_ENV: 'dev' }, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      const res = await waitFor('GET /health', () => httpGet(`http://127.0.0.1:${port}/health`));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'healthy', version: '3.1.4-jest', environment: 'dev' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  test('its own node --test suite passes and writes a JUnit report that parses', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-junit-'));
    try {
      const file = path.join(out, 'junit.xml');
      const r = spawnSync(process.execPath, ['--test', '--test-reporter=junit', `--test-reporter-destination=${file}`, 'test/'], { cwd: APP, encoding: 'utf8', timeout: 60000 });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      const root = parseXml(fs.readFileSync(file, 'utf8'));
      expect(root.name).toBe('testsuites');
      const cases = descendants(root, 'testcase');
      const declared = fs.readdirSync(path.join(APP, 'test')).reduce((n, f) => n + (fs.readFileSync(path.join(APP, 'test', f), 'utf8').match(/^test\(/gm) ?? []).length, 0);
      expect(cases).toHaveLength(declared);
      expect(descendants(root, 'failure')).toHaveLength(0);
      expect(cases.every((c) => c.attributes.name && Number(c.attributes.time) >= 0)).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('examples/express-app CodeDeploy lifecycle scripts, run for real in a temp root', () => {
  test('BeforeInstall → Install → AfterInstall → ApplicationStart → ValidateService → ApplicationStop', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-deploy-'));
    fs.chmodSync(root, 0o755);
    const isRoot = process.getuid?.() === 0;
    const appUser = isRoot && spawnSync('id', ['-u', 'nobody']).status === 0 ? 'nobody' : os.userInfo().username;
    const port = await freePort();
    const env = {
      ...process.env,
      APP_ROOT: path.join(root, 'opt', APP_NAME),
      RUN_DIR: path.join(root, 'run'),
      LOG_DIR: path.join(root, 'log'),
      CONF_DIR: path.join(root, 'etc'),
      USE_SYSTEMD: 'no',
      APP_USER: appUser,
      PORT: String(port),
      HOST: '127.0.0.1',
      FETCH_PARAMETERS: 'no',
      APPLICATION_NAME: APP_NAME,
      DEPLOYMENT_GROUP_NAME: `${APP_NAME}-staging`,
      HEALTH_RETRIES: '20',
      HEALTH_INTERVAL: '0.25',
      STOP_TIMEOUT: '10',
      npm_config_offline: 'true',
    };
    const run = (script: string, extra: Record<string, string> = {}) => {
      const r = spawnSync('bash', [path.join(APP, 'scripts', script)], { env: { ...env, LIFECYCLE_EVENT: script, ...extra }, encoding: 'utf8', timeout: 60000 });
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    try {
      expect(run('stop.sh')).toMatchObject({ status: 0 }); // first deployment: nothing running
      expect(run('before_install.sh')).toMatchObject({ status: 0 });
      // Install: CodeDeploy copies the revision into the destination
      for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(APP, f), path.join(env.APP_ROOT, f));
      fs.cpSync(path.join(APP, 'src'), path.join(env.APP_ROOT, 'src'), { recursive: true });
      fs.writeFileSync(path.join(env.APP_ROOT, 'VERSION'), '1.0.0+feedbee\n');
      const install = run('install_dependencies.sh');
      expect(install).toMatchObject({ status: 0 });
      const envFile = fs.readFileSync(path.join(env.CONF_DIR, 'env'), 'utf8');
      expect(envFile).toContain('APP_ENV=staging\n');
      expect(envFile).toContain('APP_VERSION=1.0.0+feedbee\n');

      const start = run('start.sh');
      expect(start).toMatchObject({ status: 0 });
      const pid = Number(fs.readFileSync(path.join(env.RUN_DIR, `${APP_NAME}.pid`), 'utf8'));
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('src/server.js');
      expect(run('start.sh').status).not.toBe(0); // refuses to start a second copy

      const validate = run('validate.sh');
      expect(validate.status).toBe(0);
      expect(validate.out).toContain('"version":"1.0.0+feedbee"');
      expect(validate.out).toContain('"environment":"staging"');

      // a revision whose VERSION differs from what is serving fails validation
      fs.writeFileSync(path.join(env.APP_ROOT, 'VERSION'), '2.0.0+other\n');
      expect(run('validate.sh', { HEALTH_RETRIES: '2' }).status).not.toBe(0);

      expect(run('stop.sh')).toMatchObject({ status: 0 });
      expect(fs.existsSync(path.join(env.RUN_DIR, `${APP_NAME}.pid`))).toBe(false);
      const after = run('validate.sh', { HEALTH_RETRIES: '2' });
      expect(after.status).not.toBe(0);
      expect(after.out).toMatch(/did not report healthy after 2 attempts/);
      expect(fs.readFileSync(path.join(env.LOG_DIR, `${APP_NAME}.log`), 'utf8')).toContain('"message":"stopped"');
    } finally {
      const pidFile = path.join(env.RUN_DIR, `${APP_NAME}.pid`);
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8'));
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
