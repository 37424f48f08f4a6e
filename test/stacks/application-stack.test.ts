/** Application stacks: each construct's secure defaults, asserted on the synthesized Terraform JSON. */
import example from '../../gantry.config';
import { list, named, only, resources, statements, synthConfig, type TfJson } from './helpers';

const all = synthConfig(example);
const web: TfJson = all['gantry-web'];
const api: TfJson = all['gantry-api'];
const worker: TfJson = all['gantry-worker'];
const KEY = '${aws_kms_key.key.arn}';

function rolePolicy(tf: TfJson, roleConstruct: string) {
  return statements(named(tf, 'aws_iam_role_policy', `${roleConstruct}_policy`).policy);
}

describe('state backend of an application stack', () => {
  test('uses the bootstrap bucket with a per-stack key, DynamoDB locking, encryption and the S3 lock file', () => {
    expect(web.terraform.backend.s3).toEqual({
      bucket: 'gantry-terraform-state-111122223333-us-east-1',
      key: 'gantry/web/terraform.tfstate',
      region: 'us-east-1',
      dynamodb_table: 'gantry-terraform-locks',
      encrypt: true,
      kms_key_id: 'alias/gantry-terraform-state',
      use_lockfile: true,
    });
    expect(api.terraform.backend.s3.key).toBe('gantry/api/terraform.tfstate');
  });

  test('provider is pinned to the region and account and tags every resource', () => {
    expect(web.provider.aws[0]).toMatchObject({
      region: 'us-east-1',
      allowed_account_ids: ['111122223333'],
      default_tags: [{ tags: { ManagedBy: 'gantry', Team: 'platform', CostCenter: 'cc-1234', GantryApplication: 'web' } }],
    });
  });
});

describe('application key', () => {
  test('is a customer managed key with rotation and an alias', () => {
    expect(only(web, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
    expect(only(web, 'aws_kms_alias').name).toBe('alias/gantry-web');
  });

  test('key policy has no wildcard principal and conditions every service grant', () => {
    const st = statements(only(web, 'aws_kms_key').policy);
    for (const s of st) {
      expect(s.Principal).not.toBe('*');
      expect(list(s.Principal?.AWS)).not.toContain('*');
      if (s.Principal?.Service) expect(s.Condition).toBeDefined();
    }
    const logs = st.find((s) => s.Principal?.Service === 'logs.us-east-1.amazonaws.com')!;
    expect(logs.Condition).toEqual({
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': [
          'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-build',
          'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-pr-check',
          'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-pr-vote',
          'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-test-unit',
          'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/gantry-web-test-integration',
        ],
      },
    });
    const events = st.find((s) => s.Principal?.Service === 'events.amazonaws.com')!;
    expect(events.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
    expect(list(events.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});

describe('artifact bucket', () => {
  test('is locked down like the state bucket', () => {
    expect(only(web, 'aws_s3_bucket')).toMatchObject({ bucket: 'gantry-web-art-111122223333', force_destroy: false });
    expect(only(web, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(only(web, 'aws_s3_bucket_server_side_encryption_configuration').rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY },
      bucket_key_enabled: true,
    });
    expect(only(web, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(web, 'aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
    const deny = statements(only(web, 'aws_s3_bucket_policy').policy).find((s) => s.Effect === 'Deny');
    expect(deny?.Condition).toEqual({ Bool: { 'aws:SecureTransport': false } });
  });

  test('expires old artifacts and old versions', () => {
    const rules = only(web, 'aws_s3_bucket_lifecycle_configuration').rule as any[];
    expect(rules.find((r) => r.expiration)?.expiration).toEqual([{ days: 90 }]);
    expect(rules.find((r) => r.noncurrent_version_expiration)?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });
});

describe('CodeCommit source', () => {
  test('repository is encrypted with the application key', () => {
    expect(only(web, 'aws_codecommit_repository')).toMatchObject({ repository_name: 'gantry-web', default_branch: 'main', kms_key_id: KEY });
  });

  test('requires the configured approvals on the default branch (2 by default, 3 where configured), plus one the merge gate gives', () => {
    const content = JSON.parse(named(web, 'aws_codecommit_approval_rule_template', 'source_approval-template').content);
    expect(content).toEqual({ Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 3 }] });
    expect(JSON.parse(named(worker, 'aws_codecommit_approval_rule_template', 'source_approval-template').content).Statements[0].NumberOfApprovalsNeeded).toBe(4);
    expect(named(web, 'aws_codecommit_approval_rule_template_association', 'source_approval-association')).toMatchObject({ repository_name: '${aws_codecommit_repository.source_repository.repository_name}' });
  });
});

describe('build project', () => {
  const project = named(web, 'aws_codebuild_project', 'build_project');

  test('encrypts build output with the application key (CodeBuild ignores the pipeline key otherwise)', () => {
    expect(project.encryption_key).toBe(KEY);
  });

  test('logs to its own KMS-encrypted log group with retention, and not to S3', () => {
    expect(project.logs_config).toEqual({ cloudwatch_logs: { group_name: '/aws/codebuild/gantry-web-build', status: 'ENABLED' }, s3_logs: { status: 'DISABLED' } });
    expect(named(web, 'aws_cloudwatch_log_group', 'build_logs_group')).toMatchObject({ name: '/aws/codebuild/gantry-web-build', kms_key_id: KEY, retention_in_days: 90 });
  });

  test('runs unprivileged with the configured image, compute type, timeout and buildspec', () => {
    expect(project.environment).toMatchObject({ compute_type: 'BUILD_GENERAL1_MEDIUM', image: 'aws/codebuild/standard:7.0', privileged_mode: false, image_pull_credentials_type: 'CODEBUILD' });
    expect(project.build_timeout).toBe(30);
    expect(project.source).toEqual({ type: 'CODEPIPELINE', buildspec: 'buildspec.yml' });
  });

  test('passes plain, Parameter Store and Secrets Manager variables with their types', () => {
    expect(project.environment.environment_variable).toEqual([
      { name: 'NODE_ENV', type: 'PLAINTEXT', value: 'production' },
      { name: 'API_URL', type: 'PARAMETER_STORE', value: '/web/build/api-url' },
      { name: 'NPM_TOKEN', type: 'SECRETS_MANAGER', value: 'web/npm-token:token' },
    ]);
  });

  test('reads exactly the parameters and secrets it names', () => {
    const st = rolePolicy(web, 'build_role');
    expect(st.find((s) => list(s.Action).includes('ssm:GetParameters'))?.Resource).toEqual(['arn:aws:ssm:us-east-1:111122223333:parameter/web/build/api-url']);
    expect(st.find((s) => list(s.Action).includes('secretsmanager:GetSecretValue'))?.Resource).toEqual(['arn:aws:secretsmanager:us-east-1:111122223333:secret:web/npm-token-??????']);
    // worker names none: no parameter or secret access at all.
    const w = rolePolicy(worker, 'build_role').flatMap((s) => list(s.Action));
    expect(w.filter((a) => a.startsWith('ssm:') || a.startsWith('secretsmanager:'))).toEqual([]);
  });

  test('caches in S3 under its own prefix by default, locally or not at all when configured', () => {
    expect(project.cache).toEqual({ type: 'S3', location: 'gantry-web-art-111122223333/cache/gantry-web-build' });
    expect(named(api, 'aws_codebuild_project', 'build_project').cache).toEqual({ type: 'LOCAL', modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] });
    expect(named(worker, 'aws_codebuild_project', 'build_project').cache).toBeUndefined();
  });

  test('publishes JUnit results to its report group, exported encrypted', () => {
    expect(named(web, 'aws_codebuild_report_group', 'build_report-junit')).toMatchObject({
      name: 'gantry-web-build-junit',
      type: 'TEST',
      export_config: { type: 'S3', s3_destination: { bucket: 'gantry-web-art-111122223333', encryption_key: KEY, packaging: 'NONE' } },
    });
    const st = rolePolicy(web, 'build_role');
    expect(st.find((s) => list(s.Action).includes('codebuild:BatchPutTestCases'))?.Resource).toBe('arn:aws:codebuild:us-east-1:111122223333:report-group/gantry-web-build-junit');
  });
});

describe('pull-request check', () => {
  const project = named(web, 'aws_codebuild_project', 'pr-check_project');

  test('checks out the CodeCommit repository and runs a generated synth + audit buildspec', () => {
    expect(project.source.type).toBe('CODECOMMIT');
    expect(project.source.location).toBe('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/gantry-web');
    expect(project.source.buildspec).toMatch(/- npm ci --no-audit --no-fund\n/);
    expect(project.source.buildspec).toMatch(/- node dist\/main\.js\n/);
    expect(project.source.buildspec).toMatch(/dist\/auditor\/cli\/main\.js audit cdktf\.out .*--fail-on high/);
    expect(project.encryption_key).toBe(KEY);
  });

  test('is started by pull-request created / source-branch-updated events of its repository only', () => {
    const rule = named(web, 'aws_cloudwatch_event_rule', 'pr-check_trigger_rule');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.codecommit'],
      'detail-type': ['CodeCommit Pull Request State Change'],
      resources: ['arn:aws:codecommit:us-east-1:111122223333:gantry-web'],
      detail: { event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated'], pullRequestStatus: ['Open'] },
    });
    const target = named(web, 'aws_cloudwatch_event_target', 'pr-check_trigger_target');
    expect(target.input_transformer.input_template).toContain('"sourceVersion": <sourceCommit>');
    expect(rolePolicy(web, 'pr-check_trigger_role')).toEqual([
      { Sid: 'StartPullRequestCheck', Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: 'arn:aws:codebuild:us-east-1:111122223333:project/gantry-web-pr-check' },
    ]);
  });

  test('on a connection source it uses a CodeBuild webhook on pull-request events and the connection', () => {
    const hook = only(api, 'aws_codebuild_webhook');
    expect(hook.filter_group[0].filter[0]).toEqual({ type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' });
    const p = named(api, 'aws_codebuild_project', 'pr-check_project');
    expect(p.source).toMatchObject({ type: 'GITHUB', location: 'https://github.com/example-org/api.git', auth: { type: 'CODECONNECTIONS', resource: '${aws_codestarconnections_connection.source_connection.arn}' } });
  });
});

describe('CodeDeploy', () => {
  test('one deployment group per environment with the configured deployment config', () => {
    const groups = resources(web, 'aws_codedeploy_deployment_group').map(([, g]) => g);
    expect(groups.map((g) => g.deployment_group_name).sort()).toEqual(['gantry-web-dev', 'gantry-web-prod', 'gantry-web-staging']);
    expect(groups.every((g) => g.deployment_config_name === 'CodeDeployDefault.HalfAtATime')).toBe(true);
    expect(only(web, 'aws_codedeploy_app').compute_platform).toBe('Server');
  });

  test('rolls back failed deployments by default, and on alarm where alarms are set', () => {
    const prod = named(web, 'aws_codedeploy_deployment_group', 'deploy_group-prod');
    expect(prod.auto_rollback_configuration).toEqual({ enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] });
    expect(prod.alarm_configuration).toEqual({
      enabled: true,
      alarms: ['web-5xx-rate', 'web-prod-unhealthy-hosts', 'gantry-web-prod-5xx-rate', 'gantry-web-prod-unhealthy-hosts'],
      ignore_poll_alarm_failure: false,
    });
    const workerDev = named(worker, 'aws_codedeploy_deployment_group', 'deploy_group-dev');
    expect(workerDev.auto_rollback_configuration).toEqual({ enabled: true, events: ['DEPLOYMENT_FAILURE'] });
    expect(workerDev.alarm_configuration).toBeUndefined();
  });

  test('server targets: EC2 tag filters or Auto Scaling groups, in place', () => {
    expect(named(web, 'aws_codedeploy_deployment_group', 'deploy_group-dev').ec2_tag_set).toEqual([
      { ec2_tag_filter: [{ key: 'app', type: 'KEY_AND_VALUE', value: 'web' }, { key: 'env', type: 'KEY_AND_VALUE', value: 'dev' }] },
    ]);
    expect(named(web, 'aws_codedeploy_deployment_group', 'deploy_group-staging').autoscaling_groups).toEqual(['web-staging-asg']);
  });

  test('ECS targets: blue/green with the target-group pair and listeners', () => {
    const g = named(api, 'aws_codedeploy_deployment_group', 'deploy_group-staging');
    expect(g.deployment_style).toEqual({ deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'BLUE_GREEN' });
    expect(g.ecs_service).toEqual({ cluster_name: 'staging', service_name: 'api' });
    expect(g.load_balancer_info.target_group_pair_info.target_group).toEqual([{ name: 'api-staging-blue' }, { name: 'api-staging-green' }]);
  });

  test('Lambda targets: traffic-shifting deployments with the custom canary', () => {
    expect(only(worker, 'aws_codedeploy_app').compute_platform).toBe('Lambda');
    expect(named(worker, 'aws_codedeploy_deployment_group', 'deploy_group-prod').deployment_config_name).toBe('${aws_codedeploy_deployment_config.deploy_config.deployment_config_name}');
  });
});

describe('pipeline', () => {
  const p = only(web, 'aws_codepipeline');

  test('is a V2 pipeline whose artifact store is encrypted with the application key', () => {
    expect(p.pipeline_type).toBe('V2');
    expect(p.artifact_store).toEqual([{ type: 'S3', location: 'gantry-web-art-111122223333', encryption_key: { id: KEY, type: 'KMS' } }]);
  });

  test('runs Source → Build → Deploy-<env> in the configured order, approval first where asked', () => {
    expect(p.stage.map((s: any) => s.name)).toEqual(['Source', 'Build', 'Test', 'Deploy-dev', 'Deploy-staging', 'Deploy-prod']);
    const prod = p.stage[5].action;
    expect(prod.map((a: any) => [a.category, a.run_order])).toEqual([
      ['Approval', 1],
      ['Deploy', 2],
    ]);
    expect(prod[0].configuration.NotificationArn).toBe('arn:aws:sns:us-east-1:111122223333:gantry-web-approvals');
    expect(p.stage[3].action.map((a: any) => a.category)).toEqual(['Deploy']);
  });

  test('does not poll the repository', () => {
    expect(p.stage[0].action[0].configuration.PollForSourceChanges).toBe('false');
  });

  test('starts on pushes to the default branch through an EventBridge rule', () => {
    const rule = named(web, 'aws_cloudwatch_event_rule', 'push-trigger_rule');
    expect(JSON.parse(rule.event_pattern).detail).toEqual({ event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: ['main'] });
    expect(named(web, 'aws_cloudwatch_event_target', 'push-trigger_target').arn).toBe('${aws_codepipeline.pipeline.arn}');
    expect(rolePolicy(web, 'push-trigger_role')).toEqual([
      { Sid: 'StartPipeline', Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: 'arn:aws:codepipeline:us-east-1:111122223333:gantry-web' },
    ]);
  });

  test('connection sources start through the pipeline trigger, with no EventBridge push rule', () => {
    const ap = only(api, 'aws_codepipeline');
    expect(ap.trigger).toEqual([{ provider_type: 'CodeStarSourceConnection', git_configuration: { source_action_name: 'Source', push: [{ branches: { includes: ['main'] } }] } }]);
    expect(ap.stage[0].action[0].provider).toBe('CodeStarSourceConnection');
    expect(api.resource.aws_cloudwatch_event_rule?.['push-trigger_rule']).toBeUndefined();
    expect(ap.stage[4].action.map((a: any) => a.provider)).toEqual(['Manual', 'CodeDeployToECS']);
  });
});

describe('notifications', () => {
  test('topics are encrypted with the application key and subscribe the configured e-mails', () => {
    for (const [, t] of resources(web, 'aws_sns_topic')) expect(t.kms_master_key_id).toBe(KEY);
    const subs = resources(web, 'aws_sns_topic_subscription').map(([, s]) => [s.protocol, s.endpoint]);
    expect(subs).toEqual(
      expect.arrayContaining([
        ['email', 'release-managers@example.com'],
        ['email', 'platform-oncall@example.com'],
      ]),
    );
  });

  test('failed executions notify the alerts topic, and only that rule may publish to it', () => {
    const rule = named(web, 'aws_cloudwatch_event_rule', 'failure-alerts_rule');
    expect(JSON.parse(rule.event_pattern)).toEqual({ source: ['aws.codepipeline'], 'detail-type': ['CodePipeline Pipeline Execution State Change'], detail: { pipeline: ['gantry-web'], state: ['FAILED'] } });
    expect(named(web, 'aws_cloudwatch_event_target', 'failure-alerts_target').arn).toBe('${aws_sns_topic.alerts_topic.arn}');
    const st = statements(named(web, 'aws_sns_topic_policy', 'alerts_policy').policy);
    const events = st.find((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(events).toMatchObject({ Action: 'sns:Publish', Resource: 'arn:aws:sns:us-east-1:111122223333:gantry-web-alerts', Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:111122223333:rule/gantry-web-failed'] } } });
  });
});

describe('without an account id in the config', () => {
  const cfg = JSON.parse(JSON.stringify(example));
  delete cfg.accountId;
  const tf = synthConfig(cfg)['gantry-worker'];

  test('falls back to aws_caller_identity for ARNs and conditions', () => {
    expect(tf.data?.aws_caller_identity).toBeDefined();
    expect(tf.provider.aws[0].allowed_account_ids).toBeUndefined();
    expect(rolePolicy(tf, 'push-trigger_role')[0].Resource).toBe('arn:aws:codepipeline:us-east-1:${data.aws_caller_identity.current.account_id}:gantry-worker');
  });
});
