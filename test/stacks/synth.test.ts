/** synthesize() writes what `cdktf synth` writes, and the generated buildspec is well-formed YAML. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import example from '../../gantry.config';
import { synthesize } from '../../stacks/app';
import { pullRequestCheckBuildspec } from '../../stacks/buildspecs/pull-request-check';
import { validateConfig } from '../../stacks/config/validate';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-synth-'));
const names = synthesize(validateConfig(example), out);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('synthesize', () => {
  test('writes manifest.json and stacks/<name>/cdk.tf.json for every stack, as cdktf synth does', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(manifest.stacks[name]).toMatchObject({ name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` });
      const tf = JSON.parse(fs.readFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      expect(tf.terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
    }
  });

  test('uses readable Terraform addresses, not hashed ids', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'gantry-web', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.aws_codepipeline)).toEqual(['pipeline']);
    expect(Object.keys(tf.resource.aws_kms_key)).toEqual(['key']);
    const all = Object.values(tf.resource as Record<string, object>).flatMap((r) => Object.keys(r));
    for (const n of all) expect(n).not.toMatch(/_[0-9A-F]{8}$/);
  });
});

describe('pull-request check buildspec', () => {
  const arn = 'arn:aws:codebuild:eu-west-1:111122223333:report-group/app-pr-check-audit';

  test('installs, synthesizes and audits, failing on high by default, and reports JUnit', () => {
    const spec = parse(pullRequestCheckBuildspec({ reportGroupArn: arn }));
    expect(spec.version).toBe(0.2);
    expect(spec.phases.install.commands).toEqual(['npm ci --no-audit --no-fund']);
    expect(spec.phases.build.commands[0]).toBe('npm run synth');
    expect(spec.phases.build.commands.some((c: string) => /gantry audit cdktf\.out .*--fail-on high( |$)/.test(c))).toBe(true);
    expect(spec.reports[arn]).toEqual({ files: ['gantry-audit.xml'], 'base-directory': 'reports', 'file-format': 'JUNITXML' });
  });

  test('takes the severity, budget and extra commands it is given', () => {
    const spec = parse(pullRequestCheckBuildspec({ reportGroupArn: arn, failOn: 'medium', budgetUsd: 250, postAuditCommands: ['echo "posted: yes"'] }));
    const cmds: string[] = spec.phases.build.commands;
    expect(cmds.some((c) => c.includes('--fail-on medium --budget 250'))).toBe(true);
    expect(cmds[cmds.length - 1]).toBe('echo "posted: yes"');
  });
});
