/**
 * The infrastructure pipeline as synthesized from the example configuration: stage order, the
 * approval's message and encrypted topic, Apply consuming Plan's saved plans, the audit failing
 * the build on its own exit code, and the roles — only the apply role may change infrastructure.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import example from '../../gantry.config';
import { loadIamCatalog } from '../../auditor/iam/catalog';
import { buildApp } from '../../stacks/app';
import { auditCommand, APPLIED_PREFIX } from '../../stacks/buildspecs/infrastructure';
import { validateConfig } from '../../stacks/config/validate';
import { APPROVAL_CUSTOM_DATA } from '../../stacks/infrastructure-pipeline-stack';
import { list, named, resources, statements, type PolicyStatement, type TfJson } from './helpers';

const config = validateConfig(example);
const built = buildApp(config, '/nonexistent-not-written');
const stack = built.infrastructure!;
const tf = JSON.parse(Testing.synth(stack)) as TfJson;
const ACCOUNT = '111122223333';
const APP_STACKS = ['gantry-web', 'gantry-api', 'gantry-worker'];

const pipeline = named(tf, 'aws_codepipeline', 'pipeline');
const stage = (name: string) => pipeline.stage.find((s: any) => s.name === name);
const project = (name: string) => resources(tf, 'aws_codebuild_project').find(([, p]) => p.name === `gantry-infrastructure-${name}`)![1];
const spec = (name: string) => parse(project(name).source.buildspec);
const rolePolicy = (roleName: string): PolicyStatement[] => {
  const hit = resources(tf, 'aws_iam_role_policy').find(([, p]) => p.name === `${roleName}-least-privilege`);
  if (!hit) throw new Error(`no policy for ${roleName}`);
  return statements(hit[1].policy);
};

test('the example configures the pipeline and the stack is synthesized on the shared S3 backend', () => {
  expect(built.infrastructure?.node.id).toBe('gantry-infrastructure');
  expect(tf.terraform.backend.s3).toMatchObject({ bucket: config.state.bucket, key: 'gantry/infrastructure/terraform.tfstate', dynamodb_table: config.state.lockTable, encrypt: true });
  expect(stack.stacks).toEqual(APP_STACKS);
});

test('stages run Source → Audit → Plan → Approve → Apply, V2, artifact store encrypted with its own key', () => {
  expect(pipeline.stage.map((s: any) => s.name)).toEqual(['Source', 'Audit', 'Plan', 'Approve', 'Apply']);
  expect(pipeline.pipeline_type).toBe('V2');
  expect(pipeline.artifact_store[0].encryption_key).toEqual({ id: '${aws_kms_key.key.arn}', type: 'KMS' });
  expect(stage('Source').action[0]).toMatchObject({ provider: 'CodeCommit', configuration: { RepositoryName: 'gantry', BranchName: 'main', PollForSourceChanges: 'false' } });
  const audit = stage('Audit').action[0];
  expect(audit).toMatchObject({ provider: 'CodeBuild', namespace: 'Audit', input_artifacts: ['SourceOutput'], output_artifacts: ['AuditOutput'] });
  expect(stage('Plan').action[0]).toMatchObject({ input_artifacts: ['AuditOutput'], output_artifacts: ['PlanOutput'], configuration: { ProjectName: 'gantry-infrastructure-plan' } });
  // Pushes start it through EventBridge.
  const rule = resources(tf, 'aws_cloudwatch_event_rule').find(([, r]) => r.name === 'gantry-infrastructure-push')![1];
  expect(JSON.parse(rule.event_pattern).resources).toEqual([`arn:aws:codecommit:us-east-1:${ACCOUNT}:gantry`]);
});

test("the approval's CustomData carries the audit's exported variables and notifies a KMS-encrypted topic", () => {
  const approve = stage('Approve').action[0];
  expect(approve).toMatchObject({ category: 'Approval', provider: 'Manual' });
  expect(approve.configuration.CustomData).toBe(APPROVAL_CUSTOM_DATA);
  for (const v of ['AUDIT_SUMMARY', 'COST_TOTAL', 'COST_DELTA']) {
    expect(approve.configuration.CustomData).toContain(`#{Audit.${v}}`);
    expect(spec('audit').env['exported-variables']).toContain(v);
  }
  expect(approve.configuration.CustomData.length).toBeLessThanOrEqual(500 - 3 * 60); // room for the substituted values
  const topic = resources(tf, 'aws_sns_topic').find(([, t]) => approve.configuration.NotificationArn.endsWith(`:${t.name}`))![1];
  expect(topic.kms_master_key_id).toBe('${aws_kms_key.key.arn}');
});

test('the audit buildspec fails the build on the audit exit code (fail on high, budget from config), never masked', () => {
  const cmds: string[] = spec('audit').phases.build.commands;
  const audit = auditCommand({ budgetUsd: 250, artifactBucket: 'x' });
  expect(audit).toContain('--fail-on high --budget 250');
  const line = cmds.find((c) => c.includes('auditor/cli/main.js audit'))!;
  expect(line).toBe(audit);
  expect(line).not.toMatch(/\|\||; *true|set \+e/);
  expect(cmds.join('\n')).not.toMatch(/set \+e/);
  // The variables are exported after the audit (same shell: a failed audit ends the phase).
  expect(cmds.indexOf(line)).toBeLessThan(cmds.findIndex((c) => c.startsWith('. reports/variables.sh')));
  expect(cmds.join('\n')).toContain(`s3://gantry-infrastructure-art-${ACCOUNT}/${APPLIED_PREFIX}`);
});

test('Plan saves one plan per stack; Apply consumes the Plan artifact and applies exactly those saved plans', () => {
  const plan: string[] = spec('plan').phases.build.commands;
  expect(plan).toHaveLength(APP_STACKS.length);
  APP_STACKS.forEach((s, i) => expect(plan[i]).toMatch(new RegExp(`cdktf.out/stacks/${s}".*terraform init .*terraform plan .*-out=${s}\\.tfplan`)));
  expect(spec('plan').artifacts.files).toContain('cdktf.out/**/*');

  const apply = stage('Apply').action[0];
  expect(apply.input_artifacts).toEqual(['PlanOutput']);
  const cmds: string[] = spec('apply').phases.build.commands;
  APP_STACKS.forEach((s, i) => {
    expect(cmds[i]).toMatch(new RegExp(`terraform apply .*${s}\\.tfplan\\)$`));
    expect(cmds[i]).not.toMatch(/terraform plan/);
  });
  expect(spec('apply').phases.install.commands.join('\n')).toMatch(/sha256sum -c/);
});

const catalog = loadIamCatalog();
const WRITE_LEVELS = new Set(['Write', 'Permissions management', 'Tagging']);
const expand = (a: string): string[] => (a === '*' ? ['*'] : [...catalog.expand(a)]);
function writeGrants(sts: PolicyStatement[]): { action: string; resources: string[]; condition?: unknown }[] {
  return sts
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => list(s.Action).flatMap(expand).filter((a) => WRITE_LEVELS.has(catalog.accessLevel(a) ?? 'Write')).map((action) => ({ action, resources: list(s.Resource), condition: s.Condition })));
}

test('only the apply role may change infrastructure: the others write only the pipeline’s own artifacts, logs, key, topic and the state lock', () => {
  const art = `arn:aws:s3:::gantry-infrastructure-art-${ACCOUNT}/gantry-infrastructur/*`;
  const own = [
    art,
    '${aws_kms_key.key.arn}',
    `arn:aws:sns:us-east-1:${ACCOUNT}:gantry-infrastructure-approvals`,
    `arn:aws:codepipeline:us-east-1:${ACCOUNT}:gantry-infrastructure`,
    `arn:aws:codecommit:us-east-1:${ACCOUNT}:gantry`, // the source action's archive upload
    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${config.state.lockTable}`,
    `arn:aws:s3:::${config.state.bucket}/gantry/*.tflock`,
    ...['audit', 'plan', 'apply'].map((p) => `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/gantry-infrastructure-${p}`),
    ...['audit', 'plan', 'apply'].map((p) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/gantry-infrastructure-${p}:log-stream:*`),
  ];
  const roles = ['gantry-infrastructure-audit-role', 'gantry-infrastructure-plan-role', 'gantry-infrastructure-codepipeline', 'gantry-infrastructure-push-events'];
  for (const role of roles) {
    const writes = writeGrants(rolePolicy(role));
    for (const w of writes) {
      expect(catalog.accessLevel(w.action)).not.toBe('Permissions management');
      // The state key (AWS picks its id): any key, but only the one behind the state alias.
      const stateKey = (r: string) => r === `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` && JSON.stringify(w.condition) === JSON.stringify({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/gantry-terraform-state' } });
      for (const r of w.resources) expect([role, w.action, r]).toEqual([role, w.action, own.includes(r) || stateKey(r) ? r : 'one of the pipeline’s own resources']);
    }
  }
  // The plan role reads state (and takes the lock) but cannot write it; the apply role can, and can create the stacks' resources.
  const plan = rolePolicy('gantry-infrastructure-plan-role');
  expect(writeGrants(plan).filter((w) => w.action === 's3:PutObject').flatMap((w) => w.resources)).toEqual([art, `arn:aws:s3:::${config.state.bucket}/gantry/*.tflock`]);
  const apply = writeGrants(rolePolicy('gantry-infrastructure-apply-role'));
  for (const a of ['iam:CreateRole', 'codepipeline:CreatePipeline', 'codebuild:CreateProject', 's3:CreateBucket', 'kms:CreateKey', 'events:PutRule', 'sns:CreateTopic', 'logs:CreateLogGroup', 'cloudwatch:PutMetricAlarm', 'codedeploy:CreateDeploymentGroup']) {
    expect(apply.map((w) => w.action)).toContain(a);
  }
  expect(apply.find((w) => w.action === 'iam:CreateRole')!.resources).toEqual([`arn:aws:iam::${ACCOUNT}:role/gantry-*`]);
  expect(apply.find((w) => w.action === 's3:PutObject' && w.resources.includes(`arn:aws:s3:::${config.state.bucket}/gantry/*`))).toBeDefined();
});

test('the apply role passes only gantry-* roles, only to the services the stacks use, and is denied the pipeline itself and the state backend', () => {
  const sts = rolePolicy('gantry-infrastructure-apply-role');
  const pass = sts.filter((s) => list(s.Action).some((a) => expand(a).includes('iam:PassRole')));
  expect(pass).toHaveLength(1);
  expect(pass[0]).toMatchObject({ Effect: 'Allow', Resource: `arn:aws:iam::${ACCOUNT}:role/gantry-*` });
  expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': expect.arrayContaining(['codebuild.amazonaws.com', 'codepipeline.amazonaws.com', 'codedeploy.amazonaws.com']) } });
  const deny = sts.filter((s) => s.Effect === 'Deny');
  expect(deny.find((s) => s.Sid === 'NeverChangeThisPipeline')!.Resource).toEqual(expect.arrayContaining([`arn:aws:iam::${ACCOUNT}:role/gantry-infrastructure-*`, `arn:aws:codepipeline:us-east-1:${ACCOUNT}:gantry-infrastructure`]));
  expect(deny.find((s) => s.Sid === 'NeverReconfigureProtectedBuckets')!.Resource).toContain(`arn:aws:s3:::${config.state.bucket}`);
  expect(deny.find((s) => s.Sid === 'NeverManageProtectedKeys')!.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/GantryStack': ['gantry-bootstrap', 'gantry-infrastructure'] } });
  // Every role trusts its service for this account and exactly its resource.
  for (const [, role] of resources(tf, 'aws_iam_role')) {
    const trust = statements(role.assume_role_policy)[0];
    expect(trust.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    expect(Object.keys(trust.Condition!).some((k) => k.startsWith('Arn'))).toBe(true);
  }
});

test('the audit role reads the last applied synthesis and touches nothing else in AWS', () => {
  const sts = rolePolicy('gantry-infrastructure-audit-role');
  const services = new Set(sts.flatMap((s) => list(s.Action)).map((a) => a.split(':')[0]));
  expect([...services].sort()).toEqual(['kms', 'logs', 's3']);
  expect(sts.find((s) => s.Sid === 'ReadAppliedSynthesis')).toMatchObject({ Action: 's3:GetObject', Resource: `arn:aws:s3:::gantry-infrastructure-art-${ACCOUNT}/${APPLIED_PREFIX}/*` });
});

test("the audit buildspec's export commands turn the JSON report into the approval's variables (run in bash as written)", () => {
  const cmds: string[] = spec('audit').phases.build.commands;
  const from = cmds.findIndex((c) => c.startsWith('node -e '));
  const run = cmds.slice(from, cmds.findIndex((c) => c.startsWith('. reports/variables.sh')) + 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-infra-vars-'));
  try {
    fs.mkdirSync(path.join(dir, 'reports'));
    const report = (diff: unknown) => ({
      summary: { bySeverity: { critical: 0, high: 1, medium: 2, low: 3, info: 4 }, failOn: 'high', failed: false },
      cost: { monthlyTotal: 41.5, diff },
    });
    const vars = (diff: unknown) => {
      fs.writeFileSync(path.join(dir, 'reports', 'audit.json'), JSON.stringify(report(diff)));
      const r = spawnSync('bash', ['-euc', [...run, 'printf "%s|%s|%s" "$AUDIT_SUMMARY" "$COST_TOTAL" "$COST_DELTA"'].join('\n')], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.split('|');
    };
    expect(vars({ baseMonthlyTotal: 44, monthlyDelta: -2.5, resources: [] })).toEqual(['0 critical, 1 high, 2 medium, 3 low (fail-on high: passed)', '$41.50/month', '-$2.50/month']);
    expect(vars(null)).toEqual(['0 critical, 1 high, 2 medium, 3 low (fail-on high: passed)', '$41.50/month', 'n/a (no applied base yet)']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no buildspec contains a Terraform interpolation sequence', () => {
  for (const p of ['audit', 'plan', 'apply']) expect(project(p).source.buildspec).not.toMatch(/[$%]\{/);
});

test('configuration: stacks must name applications; a connection source uses the V2 trigger and no push rule', () => {
  expect(() => validateConfig({ ...example, infrastructure: { ...example.infrastructure!, stacks: ['web', 'nope'] } }, 'gantry.config.ts')).toThrow(/infrastructure\.stacks\[1\].*no application named "nope"/);
  const cfg = validateConfig({
    ...example,
    infrastructure: { source: { type: 'connection', provider: 'GitHub', repository: 'example-org/gantry' }, budget: 100, approvers: ['a@example.com'], stacks: ['worker'] },
  });
  const s = buildApp(cfg, '/nonexistent-not-written').infrastructure!;
  const out = JSON.parse(Testing.synth(s)) as TfJson;
  const p = named(out, 'aws_codepipeline', 'pipeline');
  expect(p.stage[0].action[0]).toMatchObject({ provider: 'CodeStarSourceConnection', configuration: { FullRepositoryId: 'example-org/gantry', BranchName: 'main' } });
  expect(p.trigger[0].git_configuration.push[0].branches.includes).toEqual(['main']);
  expect(resources(out, 'aws_cloudwatch_event_rule')).toHaveLength(0);
  expect(s.stacks).toEqual(['gantry-worker']);
  expect(parse(resources(out, 'aws_codebuild_project').find(([, x]) => x.name === 'gantry-infrastructure-apply')![1].source.buildspec).phases.build.commands).toHaveLength(2);
});
