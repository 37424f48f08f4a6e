/** IAM across every stack of the example config: one role per service, conditioned trust, exact ARNs. */
import example from '../../gantry.config';
import { list, resources, statements, synthConfig } from './helpers';

const stacks = Object.entries(synthConfig(example));
const roles = stacks.flatMap(([stack, tf]) => resources(tf, 'aws_iam_role').map(([name, r]) => ({ stack, name, role: r })));
const policies = stacks.flatMap(([stack, tf]) => resources(tf, 'aws_iam_role_policy').map(([name, p]) => ({ stack, name, st: statements(p.policy) })));

/** Actions AWS does not let you scope to a resource (Service Authorization Reference), and why they are here. */
const RESOURCE_STAR_ALLOWED = new Set([
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceStatus',
  'tag:GetResources',
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeLifecycleHooks',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetHealth',
  'ecs:DescribeTaskDefinition',
]);

describe('IAM', () => {
  test('the example creates roles for each service it uses', () => {
    const services = new Set(roles.map((r) => JSON.parse(r.role.assume_role_policy).Statement[0].Principal.Service));
    expect([...services].sort()).toEqual(['codebuild.amazonaws.com', 'codedeploy.amazonaws.com', 'codepipeline.amazonaws.com', 'ec2.amazonaws.com', 'events.amazonaws.com']);
  });

  test('one role per service principal: every trust policy names exactly one service', () => {
    for (const { role } of roles) {
      const st = statements(role.assume_role_policy);
      expect(st).toHaveLength(1);
      expect(typeof st[0].Principal.Service).toBe('string');
      expect(st[0].Principal.AWS).toBeUndefined();
    }
  });

  test('trust policies are conditioned on aws:SourceAccount and aws:SourceArn (except EC2 instance roles, suppressed in code)', () => {
    for (const { stack, name, role } of roles) {
      if (JSON.parse(role.assume_role_policy).Statement[0].Principal.Service === 'ec2.amazonaws.com') {
        // Only the server app's per-environment instance roles; terraform.test.ts checks their suppression record.
        expect([stack, name]).toEqual(['gantry-web', expect.stringMatching(/^instance-(dev|staging|prod)_role$/)]);
        continue;
      }
      const [st] = statements(role.assume_role_policy);
      expect(st.Condition?.StringEquals?.['aws:SourceAccount']).toBe('111122223333');
      const arn = st.Condition?.ArnEquals?.['aws:SourceArn'] ?? st.Condition?.ArnLike?.['aws:SourceArn'];
      expect(arn).toEqual(expect.stringMatching(/^arn:aws:(codebuild|codepipeline|codedeploy|events):us-east-1:111122223333:/));
    }
  });

  test('no managed policies are attached (no AWS-managed FullAccess or admin policies)', () => {
    for (const [, tf] of stacks) {
      expect(tf.resource.aws_iam_role_policy_attachment).toBeUndefined();
      expect(tf.resource.aws_iam_policy_attachment).toBeUndefined();
    }
    for (const { role } of roles) expect(role.managed_policy_arns).toBeUndefined();
  });

  test('no statement allows a whole service or every action', () => {
    for (const { st } of policies) for (const s of st) for (const a of list(s.Action)) expect(a).not.toMatch(/(^\*$|:\*$)/);
  });

  test('every statement names exact resources, except actions AWS cannot scope', () => {
    for (const { name, st } of policies) {
      for (const s of st) {
        const resources = list(s.Resource);
        expect(resources.length).toBeGreaterThan(0);
        if (resources.includes('*')) {
          for (const a of list(s.Action)) expect([name, a, RESOURCE_STAR_ALLOWED.has(a)]).toEqual([name, a, true]);
        } else {
          for (const r of resources) expect(r).toMatch(/^(arn:aws:[a-z0-9-]+:(us-east-1)?:(111122223333)?:.+|\$\{aws_[a-z_]+\.[\w-]+\.arn\})$/);
        }
      }
    }
  });

  test('iam:PassRole only on named roles and only to the named service', () => {
    const pass = policies.flatMap(({ st }) => st.filter((s) => list(s.Action).includes('iam:PassRole')));
    expect(pass.length).toBeGreaterThan(0);
    for (const s of pass) {
      expect(list(s.Action)).toEqual(['iam:PassRole']);
      for (const r of list(s.Resource)) expect(r).toMatch(/^arn:aws:iam::111122223333:role\/[\w+=,.@-]+$/);
      expect(s.Condition?.StringEquals?.['iam:PassedToService']).toBe('ecs-tasks.amazonaws.com');
    }
  });

  test('the pipeline role reaches CodeCommit, CodeBuild and CodeDeploy on exactly its own resources', () => {
    const st = policies.find((p) => p.stack === 'gantry-web' && p.name === 'pipeline_role_policy')!.st;
    const by = (action: string) => st.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
    expect(by('codecommit:GetBranch')).toEqual(['arn:aws:codecommit:us-east-1:111122223333:gantry-web']);
    expect(by('codebuild:StartBuild')).toEqual([
      'arn:aws:codebuild:us-east-1:111122223333:project/gantry-web-build',
      'arn:aws:codebuild:us-east-1:111122223333:project/gantry-web-test-unit',
      'arn:aws:codebuild:us-east-1:111122223333:project/gantry-web-test-integration',
    ]);
    expect(by('codedeploy:CreateDeployment').sort()).toEqual([
      'arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:gantry-web/gantry-web-dev',
      'arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:gantry-web/gantry-web-prod',
      'arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:gantry-web/gantry-web-staging',
    ]);
    expect(by('codedeploy:GetDeploymentConfig')).toEqual(['arn:aws:codedeploy:us-east-1:111122223333:deploymentconfig:CodeDeployDefault.HalfAtATime']);
    expect(by('sns:Publish')).toEqual(['arn:aws:sns:us-east-1:111122223333:gantry-web-approvals']);
  });

  test('a build role writes logs only to its own log group', () => {
    const st = policies.find((p) => p.stack === 'gantry-web' && p.name === 'build_role_policy')!.st;
    const logs = st.filter((s) => list(s.Action).some((a) => a.startsWith('logs:')));
    expect(logs.flatMap((s) => list(s.Resource))).toEqual(['arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-build:log-stream:*']);
  });

  test('pipeline and build roles reach only the pipeline artifact prefix of the artifact bucket', () => {
    for (const name of ['pipeline_role_policy', 'build_role_policy']) {
      const st = policies.find((p) => p.stack === 'gantry-web' && p.name === name)!.st;
      const objects = st.filter((s) => list(s.Action).includes('s3:PutObject')).flatMap((s) => list(s.Resource));
      for (const r of objects) expect(r).toMatch(/^arn:aws:s3:::gantry-web-art-111122223333\/(gantry-web|cache\/gantry-web-build|reports\/gantry-web-build)\/\*$/);
      expect(objects).toContain('arn:aws:s3:::gantry-web-art-111122223333/gantry-web/*');
    }
  });

  test('statement ids are unique within each policy (IAM rejects duplicates)', () => {
    for (const { st } of policies) {
      const sids = st.map((s) => s.Sid).filter(Boolean);
      expect(new Set(sids).size).toBe(sids.length);
    }
  });
});
