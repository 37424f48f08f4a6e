/**
 * The CodeCommit merge gate as synthesized: the pull-request check project (untrusted: it runs
 * the pull request's code) with the generated buildspec and no CodeCommit write or vote
 * permission; the vote project (NO_SOURCE, inline generated buildspec) started by the check's
 * state-change events; both EventBridge rules and input transformers; both approval rule
 * templates (humans' N approvals + the gate's, and one from the vote's assumed role) associated
 * with the repository; and both roles' policies — exactly these actions on exactly these ARNs.
 */
import { App, type TerraformElement, TerraformStack, Testing } from 'cdktf';
import type { Node } from 'constructs';
import { readableLogicalId } from '../../stacks/lib/logical-id';
import { parse } from 'yaml';
import { pullRequestCheckBuildspec } from '../../stacks/buildspecs/pull-request-check';
import { pullRequestVoteBuildspec } from '../../stacks/buildspecs/pull-request-vote';
import { CodeCommitSource } from '../../stacks/constructs/codecommit-source';
import { EncryptionKey } from '../../stacks/constructs/encryption-key';
import { PullRequestCheck } from '../../stacks/constructs/pull-request-check';
import { SecureBucket } from '../../stacks/constructs/secure-bucket';
import { AwsEnv } from '../../stacks/lib/aws-env';
import { awsProvider } from '../../stacks/lib/provider';
import { validateConfig } from '../../stacks/config/validate';
import example from '../../gantry.config';
import { list, named, resources, statements, type TfJson } from './helpers';

const ACCOUNT = '111122223333';
const REPO_ARN = `arn:aws:codecommit:eu-west-1:${ACCOUNT}:gantry-web`;

class GateStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    return readableLogicalId(element);
  }
}

function synthGate(): { tf: TfJson; check: PullRequestCheck } {
  const app = new App({ outdir: '/nonexistent-not-written' });
  const stack = new GateStack(app, 'gate');
  awsProvider(stack, validateConfig(example), { GantryStack: 'gate' });
  const env = new AwsEnv('eu-west-1', ACCOUNT);
  const key = new EncryptionKey(stack, 'key', { env, alias: 'gantry-web', description: 'k' });
  const artifacts = new SecureBucket(stack, 'artifacts', { env, bucketName: `gantry-web-art-${ACCOUNT}`, encryptionKey: key });
  const source = new CodeCommitSource(stack, 'source', { env, repositoryName: 'gantry-web', description: 'web', defaultBranch: 'main', requiredApprovals: 2, encryptionKey: key });
  const check = new PullRequestCheck(stack, 'pr-check', { env, projectName: 'gantry-web-pr-check', source, encryptionKey: key, artifactBucket: artifacts });
  return { tf: JSON.parse(Testing.synth(stack)) as TfJson, check };
}

const { tf, check } = synthGate();
const one = <T>(type: string, pred: (v: Record<string, any>) => boolean): T => {
  const hits = resources(tf, type).filter(([, v]) => pred(v));
  if (hits.length !== 1) throw new Error(`expected one ${type}, found ${hits.length}`);
  return hits[0][1] as T;
};

test('the check project runs the generated buildspec on the repository, uploads its reports and votes on nothing', () => {
  const project = one<Record<string, any>>('aws_codebuild_project', (p) => p.name === 'gantry-web-pr-check');
  const reportGroupArn = `arn:aws:codebuild:eu-west-1:${ACCOUNT}:report-group/gantry-web-pr-check-audit`;
  expect(project.source).toMatchObject({ type: 'CODECOMMIT', git_clone_depth: 0 });
  const reportsUri = `s3://gantry-web-art-${ACCOUNT}/reports/gantry-web-pr-check`;
  expect(project.source.buildspec).toBe(pullRequestCheckBuildspec({ codecommit: { reportsUri }, reportGroupArn }));
  const spec = parse(project.source.buildspec);
  expect(Object.keys(spec.reports)).toEqual([reportGroupArn]);
  const all = Object.values(spec.phases as Record<string, { commands?: string[] }>).flatMap((p) => p.commands ?? []).join('\n');
  expect(all).not.toMatch(/codecommit|approval/);
  expect(spec.phases.post_build.commands.join('\n')).toContain(`aws s3 cp reports/gantry-result.json "$REPORTS/gantry-result.json"`);
  // Terraform would read `${...}` in the buildspec as interpolation.
  expect(project.source.buildspec).not.toContain('${');
  expect(one('aws_codebuild_report_group', (r) => r.name === 'gantry-web-pr-check-audit')).toMatchObject({ type: 'TEST' });
});

test('an EventBridge rule on pull-request events starts it, passing the commits and ids as env overrides', () => {
  const rule = one<Record<string, any>>('aws_cloudwatch_event_rule', (r) => r.name === 'gantry-web-pr-check-trigger');
  expect(JSON.parse(rule.event_pattern)).toEqual({
    source: ['aws.codecommit'],
    'detail-type': ['CodeCommit Pull Request State Change'],
    resources: [REPO_ARN],
    detail: { event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated'], pullRequestStatus: ['Open'] },
  });
  const target = one<Record<string, any>>('aws_cloudwatch_event_target', (t) => t.target_id === 'pull-request-check');
  expect(target.input_transformer.input_paths).toEqual({
    sourceCommit: '$.detail.sourceCommit',
    destinationCommit: '$.detail.destinationCommit',
    pullRequestId: '$.detail.pullRequestId',
    repositoryName: '$.detail.repositoryNames[0]',
  });
  // The template is JSON once EventBridge substitutes the (quoted string) values.
  const filled = target.input_transformer.input_template.replace(/<(\w+)>/g, (_: string, k: string) => JSON.stringify(`value-of-${k}`));
  const input = JSON.parse(filled);
  expect(input.sourceVersion).toBe('value-of-sourceCommit');
  expect(Object.fromEntries(input.environmentVariablesOverride.map((v: any) => [v.name, v.value]))).toEqual({
    PULL_REQUEST_ID: 'value-of-pullRequestId',
    SOURCE_COMMIT: 'value-of-sourceCommit',
    DESTINATION_COMMIT: 'value-of-destinationCommit',
    REPOSITORY_NAME: 'value-of-repositoryName',
  });
});

test('the vote project is NO_SOURCE with the inline generated buildspec, started by the check build ending', () => {
  const project = one<Record<string, any>>('aws_codebuild_project', (p) => p.name === 'gantry-web-pr-vote');
  expect(project.source).toEqual({
    type: 'NO_SOURCE',
    buildspec: pullRequestVoteBuildspec({ checkProjectName: 'gantry-web-pr-check', repositoryName: 'gantry-web', reportsUri: `s3://gantry-web-art-${ACCOUNT}/reports/gantry-web-pr-check` }),
  });
  expect(project.source.buildspec).not.toContain('${');
  expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
  expect(project.service_role).toBe('${aws_iam_role.pr-check_vote_role.arn}');
  expect(project.encryption_key).toBe('${aws_kms_key.key.arn}');
  expect(parse(project.source.buildspec).phases.build.commands.join('\n')).toMatch(/update-pull-request-approval-state .*--approval-state "\$VOTE"/);

  const rule = one<Record<string, any>>('aws_cloudwatch_event_rule', (r) => r.name === 'gantry-web-pr-vote-trigger');
  expect(JSON.parse(rule.event_pattern)).toEqual({
    source: ['aws.codebuild'],
    'detail-type': ['CodeBuild Build State Change'],
    detail: { 'build-status': ['SUCCEEDED', 'FAILED', 'STOPPED'], 'project-name': ['gantry-web-pr-check'] },
  });
  const target = one<Record<string, any>>('aws_cloudwatch_event_target', (t) => t.target_id === 'pull-request-vote');
  expect(target.arn).toBe('${aws_codebuild_project.pr-check_vote_project.arn}');
  expect(target.input_transformer.input_paths).toEqual({ buildId: '$.detail.build-id' });
  const filled = target.input_transformer.input_template.replace(/<(\w+)>/g, (_: string, k: string) => JSON.stringify(`value-of-${k}`));
  expect(JSON.parse(filled)).toEqual({ environmentVariablesOverride: [{ name: 'CHECK_BUILD_ID', value: 'value-of-buildId', type: 'PLAINTEXT' }] });
  const eventsRole = one<Record<string, any>>('aws_iam_role_policy', (p) => p.name === 'gantry-web-pr-vote-trigger-events-least-privilege');
  expect(statements(eventsRole.policy).map((s) => [s.Action, s.Resource])).toEqual([['codebuild:StartBuild', `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/gantry-web-pr-vote`]]);
});

test('two approval rule templates, both associated: N human approvals (+1 for the gate), and one from the vote role as its assumed-role ARN', () => {
  const templates = resources(tf, 'aws_codecommit_approval_rule_template').map(([, t]) => ({ name: t.name, content: JSON.parse(t.content) })).sort((a, b) => a.name.localeCompare(b.name));
  expect(templates).toEqual([
    // Two people: CodeCommit counts the gate's approval toward the pool-less human rule too.
    { name: 'gantry-web-approvals', content: { Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 3 }] } },
    {
      name: 'gantry-web-gantry-gate',
      content: {
        Version: '2018-11-08',
        DestinationReferences: ['refs/heads/main'],
        Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1, ApprovalPoolMembers: [`arn:aws:sts::${ACCOUNT}:assumed-role/gantry-web-pr-vote-role/*`] }],
      },
    },
  ]);
  const assoc = resources(tf, 'aws_codecommit_approval_rule_template_association').map(([, a]) => [a.approval_rule_template_name, a.repository_name]).sort();
  expect(assoc).toEqual([
    ['${aws_codecommit_approval_rule_template.pr-check_gate_template.name}', 'gantry-web'],
    ['${aws_codecommit_approval_rule_template.source_approval-template.name}', '${aws_codecommit_repository.source_repository.repository_name}'],
  ]);
  // The gate's association waits for the repository it names.
  const gateAssoc = named(tf, 'aws_codecommit_approval_rule_template_association', 'pr-check_gate_association');
  expect(gateAssoc.depends_on).toEqual(['aws_codecommit_repository.source_repository']);
  expect(check.vote!.role.roleName).toBe('gantry-web-pr-vote-role');
  const human = one<Record<string, any>>('aws_codecommit_approval_rule_template', (t) => t.name === 'gantry-web-approvals');
  expect(human.description).toBe("Pull requests into main need 2 approvals: the rule asks for 3 because gantry-web-pr-vote-role's approval counts toward it too");
});

test('the check role may pull the repository, write its logs, reports and report uploads, and use the key: no CodeCommit write or vote', () => {
  const policy = one<Record<string, any>>('aws_iam_role_policy', (p) => p.name === 'gantry-web-pr-check-role-least-privilege');
  const got = statements(policy.policy).map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource).sort(), effect: s.Effect }));
  const keyArn = '${aws_kms_key.key.arn}';
  expect(got).toEqual(
    [
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/codebuild/gantry-web-pr-check:log-stream:*`] },
      { actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'], resources: [keyArn] },
      { actions: ['codebuild:BatchPutCodeCoverages', 'codebuild:BatchPutTestCases', 'codebuild:CreateReport', 'codebuild:UpdateReport'], resources: [`arn:aws:codebuild:eu-west-1:${ACCOUNT}:report-group/gantry-web-pr-check-audit`] },
      { actions: ['s3:PutObject'], resources: [`arn:aws:s3:::gantry-web-art-${ACCOUNT}/reports/gantry-web-pr-check/*`] },
      { actions: ['codecommit:GitPull'], resources: [REPO_ARN] },
    ].map((s) => ({ ...s, effect: 'Allow' })),
  );
  expect(got.flatMap((s) => s.actions).filter((a) => a.startsWith('codecommit:'))).toEqual(['codecommit:GitPull']);
  const role = named(tf, 'aws_iam_role', Object.keys(tf.resource.aws_iam_role).find((n) => tf.resource.aws_iam_role[n].name === 'gantry-web-pr-check-role')!);
  expect(statements(role.assume_role_policy)[0].Principal).toEqual({ Service: 'codebuild.amazonaws.com' });
});

test('the vote role may read the check builds and reports, comment and vote on exactly its repository, and write its own logs', () => {
  const policy = one<Record<string, any>>('aws_iam_role_policy', (p) => p.name === 'gantry-web-pr-vote-role-least-privilege');
  const got = statements(policy.policy).map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource).sort(), effect: s.Effect, condition: s.Condition }));
  expect(got).toEqual([
    { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/codebuild/gantry-web-pr-vote:log-stream:*`], effect: 'Allow', condition: undefined },
    { actions: ['codebuild:BatchGetBuilds'], resources: [`arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/gantry-web-pr-check`], effect: 'Allow', condition: undefined },
    {
      actions: ['codecommit:GetPullRequest', 'codecommit:PostCommentForPullRequest', 'codecommit:UpdatePullRequestApprovalState'],
      resources: [REPO_ARN],
      effect: 'Allow',
      condition: undefined,
    },
    { actions: ['s3:GetObject'], resources: [`arn:aws:s3:::gantry-web-art-${ACCOUNT}/reports/gantry-web-pr-check/*`], effect: 'Allow', condition: undefined },
    { actions: ['kms:Decrypt'], resources: ['${aws_kms_key.key.arn}'], effect: 'Allow', condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } },
  ]);
  const role = Object.values(tf.resource.aws_iam_role).find((r) => r.name === 'gantry-web-pr-vote-role')!;
  const trust = statements(role.assume_role_policy)[0];
  expect(trust.Principal).toEqual({ Service: 'codebuild.amazonaws.com' });
  expect(trust.Condition?.ArnEquals).toEqual({ 'aws:SourceArn': `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/gantry-web-pr-vote` });
});
