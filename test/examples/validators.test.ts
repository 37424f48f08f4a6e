/**
 * The buildspec and AppSpec validators catch what CodeBuild and CodeDeploy would reject, so the
 * example and template tests that rely on them can fail.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { splitSecretRef, validateBuildspec } from './support/buildspec';
import { validateAppspec } from './support/appspec';
import { parseXml } from './support/xml';

const GOOD_BUILDSPEC = `version: 0.2
env:
  variables: { A: "1" }
  parameter-store: { P: /app/dev/p }
  secrets-manager: { S: "/app/dev/s:password:AWSCURRENT" }
  exported-variables: [A]
  git-credential-helper: yes
phases:
  install:
    runtime-versions: { nodejs: 20 }
    commands: [npm ci]
  build:
    on-failure: ABORT
    commands: [npm test]
    finally: [echo done]
reports:
  unit:
    files: [junit.xml]
    file-format: JUNITXML
artifacts:
  files: ['**/*']
  base-directory: dist
cache:
  paths: ['/root/.npm/**/*']
`;

const problemsOf = (yaml: string) => validateBuildspec(yaml, 'b.yml').problems;

describe('buildspec validator', () => {
  test('accepts a complete, valid buildspec', () => {
    expect(problemsOf(GOOD_BUILDSPEC)).toEqual([]);
  });

  test.each([
    ['a wrong version', GOOD_BUILDSPEC.replace('version: 0.2', 'version: 0.3'), /version: must be 0.2/],
    ['a missing version', GOOD_BUILDSPEC.replace('version: 0.2\n', ''), /version: required/],
    ['an unknown top-level key', `${GOOD_BUILDSPEC}stages: {}\n`, /stages: unknown top-level key/],
    ['an unknown env key', GOOD_BUILDSPEC.replace('  variables:', '  vars: { B: "2" }\n  variables:'), /env.vars: unknown key/],
    ['an unknown phase', GOOD_BUILDSPEC.replace('  build:\n', '  deploy:\n'), /phases.deploy: unknown phase/],
    ['runtime-versions outside install', GOOD_BUILDSPEC.replace('    on-failure: ABORT', '    runtime-versions: { nodejs: 20 }'), /runtime-versions is only allowed in the install phase/],
    ['a command YAML read as a mapping', GOOD_BUILDSPEC.replace('commands: [npm test]', 'commands:\n      - echo Build: done'), /must be a string .*quote commands/],
    ['a bad report format', GOOD_BUILDSPEC.replace('file-format: JUNITXML', 'file-format: JUNIT'), /file-format: must be one of JUNITXML/],
    ['a report without files', GOOD_BUILDSPEC.replace('    files: [junit.xml]\n', ''), /reports.unit.files: required/],
    ['artifacts without files', GOOD_BUILDSPEC.replace("  files: ['**/*']\n", ''), /artifacts.files: required/],
    ['an unknown cache key', GOOD_BUILDSPEC.replace('cache:\n', 'cache:\n  mode: local\n'), /cache.mode: unknown key/],
    ['an invalid exported variable', GOOD_BUILDSPEC.replace('exported-variables: [A]', 'exported-variables: [1A]'), /"1A" is not a valid variable name/],
    ['a relative parameter name', GOOD_BUILDSPEC.replace('P: /app/dev/p', 'P: app-dev-p'), /should be a hierarchical path/],
    ['a bad on-failure', GOOD_BUILDSPEC.replace('on-failure: ABORT', 'on-failure: IGNORE'), /on-failure: must be ABORT, CONTINUE/],
    ['an unknown shell', GOOD_BUILDSPEC.replace('env:\n', 'env:\n  shell: zsh\n'), /env.shell: must be one of/],
    ['duplicate keys', GOOD_BUILDSPEC.replace('cache:', 'artifacts:\n  files: [x]\ncache:'), /yaml: .*[Uu]nique|yaml: .*duplicate/i],
    ['no phases', 'version: 0.2\n', /phases: required/],
  ])('rejects %s', (_what, yaml, expected) => {
    expect(problemsOf(yaml).join('\n')).toMatch(expected);
  });

  test('splits secret references, including ARNs with colons', () => {
    expect(splitSecretRef('/app/dev/db:password:AWSCURRENT')).toEqual({ id: '/app/dev/db', rest: ['password', 'AWSCURRENT'] });
    expect(splitSecretRef('arn:aws:secretsmanager:eu-west-1:111122223333:secret:/app/dev/db-AbCdEf:password')).toEqual({
      id: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:/app/dev/db-AbCdEf',
      rest: ['password'],
    });
  });
});

const GOOD_SERVER = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/app
hooks:
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 60
      runas: root
`;

describe('appspec validator', () => {
  let bundle: string;
  beforeAll(() => {
    bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-appspec-'));
    fs.mkdirSync(path.join(bundle, 'scripts'));
    fs.writeFileSync(path.join(bundle, 'scripts', 'start.sh'), '#!/bin/bash\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bundle, 'scripts', 'noexec.sh'), '#!/bin/bash\n', { mode: 0o644 });
  });
  afterAll(() => fs.rmSync(bundle, { recursive: true, force: true }));
  const server = (yaml: string) => validateAppspec(yaml, 'a.yml', 'server', { bundleRoot: bundle }).problems.join('\n');

  test('accepts a valid EC2/on-premises AppSpec', () => {
    expect(server(GOOD_SERVER)).toBe('');
  });

  test.each([
    ['version 0.2', GOOD_SERVER.replace('version: 0.0', 'version: 0.2'), /version: must be 0.0/],
    ['version written as 0', GOOD_SERVER.replace('version: 0.0', 'version: 0'), /version: must be 0.0 \(got 0\)/],
    ['a missing os', GOOD_SERVER.replace('os: linux\n', ''), /os: required/],
    ['a reserved event', GOOD_SERVER.replace('ApplicationStart:', 'Install:'), /reserved for CodeDeploy/],
    ['an ECS-only event', GOOD_SERVER.replace('ApplicationStart:', 'AfterAllowTestTraffic:'), /unknown lifecycle event/],
    ['a timeout over an hour', GOOD_SERVER.replace('timeout: 60', 'timeout: 3601'), /timeout: must be a whole number of seconds from 1 to 3600/],
    ['a missing script', GOOD_SERVER.replace('scripts/start.sh', 'scripts/missing.sh'), /scripts\/missing.sh does not exist/],
    ['a script that is not executable', GOOD_SERVER.replace('scripts/start.sh', 'scripts/noexec.sh'), /scripts\/noexec.sh is not executable/],
    ['a relative destination', GOOD_SERVER.replace('destination: /opt/app', 'destination: opt/app'), /destination: required: an absolute path/],
    ['a file source absent from the revision', GOOD_SERVER.replace('source: /', 'source: build/'), /build\/ does not exist in the revision/],
    ['a bad file_exists_behavior', `${GOOD_SERVER}file_exists_behavior: REPLACE\n`, /file_exists_behavior: must be DISALLOW, OVERWRITE or RETAIN/],
    ['a non-octal mode', `${GOOD_SERVER}permissions:\n  - object: /opt/app\n    mode: 799\n`, /mode: must be octal digits/],
  ])('rejects %s', (_what, yaml, expected) => {
    expect(server(yaml)).toMatch(expected);
  });

  const ECS = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: arn:aws:ecs:eu-west-1:111122223333:task-definition/app:3
        LoadBalancerInfo: { ContainerName: app, ContainerPort: 8080 }
Hooks:
  - AfterAllowTestTraffic: check-test-traffic
`;
  test('ECS: accepts a valid AppSpec and rejects missing container info, bad hooks and unrevisioned task definitions', () => {
    expect(validateAppspec(ECS, 'e.yml', 'ecs').problems).toEqual([]);
    const p = (y: string) => validateAppspec(y, 'e.yml', 'ecs').problems.join('\n');
    expect(p(ECS.replace(', ContainerPort: 8080', ''))).toMatch(/ContainerPort: required/);
    expect(p(ECS.replace('AfterAllowTestTraffic', 'ValidateService'))).toMatch(/not a lifecycle event of a ecs deployment/);
    expect(p(ECS.replace('task-definition/app:3', 'task-definition/app'))).toMatch(/TaskDefinition: must be a task definition ARN with a revision/);
    expect(p(ECS.replace('Resources:\n', 'Resources: []\nX:\n'))).toMatch(/Resources: required/);
  });

  const LAMBDA = `version: 0.0
Resources:
  - fn:
      Type: AWS::Lambda::Function
      Properties: { Name: fn, Alias: live, CurrentVersion: "3", TargetVersion: "4" }
Hooks:
  - BeforeAllowTraffic: pre-check
`;
  test('Lambda: accepts a valid AppSpec and rejects $LATEST, equal versions and ECS-only hooks', () => {
    expect(validateAppspec(LAMBDA, 'l.yml', 'lambda').problems).toEqual([]);
    const p = (y: string) => validateAppspec(y, 'l.yml', 'lambda').problems.join('\n');
    expect(p(LAMBDA.replace('TargetVersion: "4"', 'TargetVersion: $LATEST'))).toMatch(/\$LATEST cannot be deployed/);
    expect(p(LAMBDA.replace('TargetVersion: "4"', 'TargetVersion: "3"'))).toMatch(/must differ from CurrentVersion/);
    expect(p(LAMBDA.replace('BeforeAllowTraffic', 'AfterAllowTestTraffic'))).toMatch(/not a lifecycle event of a lambda deployment/);
  });
});

describe('xml reader', () => {
  test('reads elements, attributes and entities', () => {
    const root = parseXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/><!-- c --><c>t&lt;</c></a>');
    expect(root).toMatchObject({ name: 'a', attributes: { x: '1 & 2' }, children: [{ name: 'b' }, { name: 'c', text: 't<' }] });
  });
  test.each([['<a><b></a>'], ['<a>'], ['<a x=1/>'], ['<a/><b/>'], ['<a>&bogus;</a>'], ['text']])('rejects %s', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
