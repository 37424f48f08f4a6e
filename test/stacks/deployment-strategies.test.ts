/**
 * Deployment strategies and environments (issue 7), asserted on the synthesized Terraform JSON of
 * the example config: server in place / blue/green, ECS blue/green, Lambda canary with a publish
 * step, rollback and alarms, per-environment configuration access, the parallel Test stage.
 */
import example from '../../gantry.config';
import type { GantryConfigInput } from '../../stacks/config/schema';
import { ConfigError, validateConfig } from '../../stacks/config/validate';
import { list, named, only, resources, statements, synthConfig, type TfJson } from './helpers';

const all = synthConfig(example);
const web: TfJson = all['gantry-web'];
const api: TfJson = all['gantry-api'];
const worker: TfJson = all['gantry-worker'];
const group = (tf: TfJson, env: string) => named(tf, 'aws_codedeploy_deployment_group', `deploy_group-${env}`);
const policyOf = (tf: TfJson, name: string) => statements(named(tf, 'aws_iam_role_policy', name).policy);
const stage = (tf: TfJson, name: string) => only(tf, 'aws_codepipeline').stage.find((s: any) => s.name === name);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('server deployments', () => {
  test('in place without a load balancer on tagged instances (dev)', () => {
    const g = group(web, 'dev');
    expect(g.deployment_style).toEqual({ deployment_option: 'WITHOUT_TRAFFIC_CONTROL', deployment_type: 'IN_PLACE' });
    expect(g.load_balancer_info).toBeUndefined();
    expect(g.blue_green_deployment_config).toBeUndefined();
  });

  test('in place behind a target group on an Auto Scaling group (staging)', () => {
    const g = group(web, 'staging');
    expect(g.deployment_style).toEqual({ deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'IN_PLACE' });
    expect(g.load_balancer_info).toEqual({ target_group_info: [{ name: 'web-staging' }] });
    expect(g.autoscaling_groups).toEqual(['web-staging-asg']);
  });

  test('blue/green behind a target group discovers the existing green fleet, terminates blue after the wait (prod)', () => {
    const g = group(web, 'prod');
    expect(g.deployment_style).toEqual({ deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'BLUE_GREEN' });
    expect(g.load_balancer_info).toEqual({ target_group_info: [{ name: 'web-prod' }] });
    expect(g.blue_green_deployment_config).toEqual({
      deployment_ready_option: { action_on_timeout: 'CONTINUE_DEPLOYMENT' },
      green_fleet_provisioning_option: { action: 'DISCOVER_EXISTING' },
      terminate_blue_instances_on_deployment_success: { action: 'TERMINATE', termination_wait_time_in_minutes: 60 },
    });
    // Terraform stays the owner of both groups: CodeDeploy never copies one.
    expect(JSON.stringify(web.resource.aws_codedeploy_deployment_group)).not.toContain('COPY_AUTO_SCALING_GROUP');
  });

  test('keep-alive and a manual reroute window are expressed in the group', () => {
    const cfg = clone(example) as any;
    cfg.applications[0].environments[2].server.blueGreen = { targetGroup: 'web-prod', originalInstances: 'keep-alive', readyWaitMinutes: 30 };
    const g = group(synthConfig(cfg)['gantry-web'], 'prod');
    expect(g.blue_green_deployment_config.terminate_blue_instances_on_deployment_success).toEqual({ action: 'KEEP_ALIVE' });
    expect(g.blue_green_deployment_config.deployment_ready_option).toEqual({ action_on_timeout: 'STOP_DEPLOYMENT', wait_time_in_minutes: 30 });
  });

  test('the CodeDeploy role moves instances only in the named target groups', () => {
    const st = policyOf(web, 'deploy_role_policy');
    const tg = st.filter((s) => list(s.Action).includes('elasticloadbalancing:RegisterTargets')).flatMap((s) => list(s.Resource));
    expect(tg.sort()).toEqual(['arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-prod/*', 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-staging/*']);
  });

  test('a custom minimum-healthy-hosts configuration is created and used', () => {
    const cfg = clone(example) as any;
    cfg.applications[0].deploy.deploymentConfig = { type: 'minimum-healthy-hosts', unit: 'FLEET_PERCENT', value: 75 };
    const tf = synthConfig(cfg)['gantry-web'];
    expect(only(tf, 'aws_codedeploy_deployment_config')).toEqual({
      deployment_config_name: 'gantry-web-MinHealthy75Percent',
      compute_platform: 'Server',
      minimum_healthy_hosts: { type: 'FLEET_PERCENT', value: 75 },
    });
    expect(group(tf, 'prod').deployment_config_name).toBe('${aws_codedeploy_deployment_config.deploy_config.deployment_config_name}');
  });

  test('each environment has its own instance role and profile, reading only the pipeline artifacts through S3', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      expect(named(web, 'aws_iam_instance_profile', `instance-${env}_profile`)).toMatchObject({ name: `gantry-web-${env}-instance`, role: `\${aws_iam_role.instance-${env}_role.name}` });
      const st = policyOf(web, `instance-${env}_policy`);
      expect(st.find((s) => s.Sid === 'ReadPipelineRevisions')).toEqual({
        Sid: 'ReadPipelineRevisions',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: 'arn:aws:s3:::gantry-web-art-111122223333/gantry-web/*',
      });
      expect(st.find((s) => s.Sid === 'DecryptRevisionsThroughS3')?.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
      expect(st.flatMap((s) => list(s.Action)).filter((a) => /Put|Delete|Update|Create/.test(a))).toEqual([]);
    }
  });
});

describe('ECS blue/green', () => {
  test('target-group pair, production and test listeners, termination wait per environment', () => {
    const staging = group(api, 'staging');
    expect(staging.deployment_style).toEqual({ deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'BLUE_GREEN' });
    expect(staging.load_balancer_info.target_group_pair_info).toEqual({
      prod_traffic_route: { listener_arns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/staging/0123456789abcdef/0123456789abcdef'] },
      test_traffic_route: { listener_arns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/staging/0123456789abcdef/fedcba9876543210'] },
      target_group: [{ name: 'api-staging-blue' }, { name: 'api-staging-green' }],
    });
    expect(group(api, 'prod').load_balancer_info.target_group_pair_info.test_traffic_route).toBeUndefined();
    const wait = (env: string) => group(api, env).blue_green_deployment_config.terminate_blue_instances_on_deployment_success;
    expect([wait('dev'), wait('staging'), wait('prod')]).toEqual([
      { action: 'TERMINATE', termination_wait_time_in_minutes: 0 },
      { action: 'TERMINATE', termination_wait_time_in_minutes: 5 },
      { action: 'TERMINATE', termination_wait_time_in_minutes: 30 },
    ]);
  });

  test('traffic routing by the predefined canary', () => {
    for (const env of ['dev', 'staging', 'prod']) expect(group(api, env).deployment_config_name).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(only(api, 'aws_codedeploy_app').compute_platform).toBe('ECS');
  });

  test('a custom linear configuration becomes a TimeBasedLinear traffic routing config', () => {
    const cfg = clone(example) as any;
    cfg.applications[1].deploy.deploymentConfig = { type: 'linear', percentage: 25, intervalMinutes: 2 };
    expect(only(synthConfig(cfg)['gantry-api'], 'aws_codedeploy_deployment_config')).toEqual({
      deployment_config_name: 'gantry-api-Linear25PercentEvery2Minutes',
      compute_platform: 'ECS',
      traffic_routing_config: { type: 'TimeBasedLinear', time_based_linear: { percentage: 25, interval: 2 } },
    });
  });

  test('the CodeDeployToECS action reads the task definition and appspec templates from the build output', () => {
    const [deploy] = stage(api, 'Deploy-dev').action;
    expect(deploy).toMatchObject({
      category: 'Deploy',
      provider: 'CodeDeployToECS',
      input_artifacts: ['BuildOutput'],
      configuration: {
        ApplicationName: 'gantry-api',
        DeploymentGroupName: 'gantry-api-dev',
        TaskDefinitionTemplateArtifact: 'BuildOutput',
        TaskDefinitionTemplatePath: 'deploy/ecs/taskdef.json',
        AppSpecTemplateArtifact: 'BuildOutput',
        AppSpecTemplatePath: 'deploy/ecs/appspec.yml',
      },
    });
  });
});

describe('Lambda canary', () => {
  test('a custom canary configuration (compute platform Lambda, TimeBasedCanary) is used by every group', () => {
    expect(only(worker, 'aws_codedeploy_deployment_config')).toEqual({
      deployment_config_name: 'gantry-worker-Canary20Percent10Minutes',
      compute_platform: 'Lambda',
      traffic_routing_config: { type: 'TimeBasedCanary', time_based_canary: { percentage: 20, interval: 10 } },
    });
    for (const env of ['dev', 'staging', 'prod']) {
      expect(group(worker, env).deployment_config_name).toBe('${aws_codedeploy_deployment_config.deploy_config.deployment_config_name}');
      expect(group(worker, env).deployment_style).toEqual({ deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'BLUE_GREEN' });
    }
    const ro = policyOf(worker, 'pipeline_role_policy').find((s) => list(s.Action).includes('codedeploy:GetDeploymentConfig'));
    expect(ro?.Resource).toBe('arn:aws:codedeploy:us-east-1:111122223333:deploymentconfig:gantry-worker-Canary20Percent10Minutes');
  });

  test('each environment publishes a version, then CodeDeploy shifts the alias with the appspec that step wrote', () => {
    expect(stage(worker, 'Deploy-dev').action.map((a: any) => [a.name, a.provider, a.run_order, a.input_artifacts, a.output_artifacts])).toEqual([
      ['Publish', 'CodeBuild', 1, ['BuildOutput'], ['Publish_dev']],
      ['Deploy', 'CodeDeploy', 2, ['Publish_dev'], undefined],
    ]);
    expect(stage(worker, 'Deploy-prod').action.map((a: any) => [a.name, a.run_order])).toEqual([
      ['Approve', 1],
      ['Publish', 2],
      ['Deploy', 3],
    ]);
    const publish = stage(worker, 'Deploy-staging').action[0];
    expect(JSON.parse(publish.configuration.EnvironmentVariables)).toEqual([
      { name: 'FUNCTION_NAME', value: 'worker-staging', type: 'PLAINTEXT' },
      { name: 'FUNCTION_ALIAS', value: 'live', type: 'PLAINTEXT' },
    ]);
    const spec = named(worker, 'aws_codebuild_project', 'publish_project').source.buildspec as string;
    expect(spec).toContain('aws lambda publish-version');
    expect(spec).toContain('CurrentVersion');
    expect(spec).toMatch(/artifacts:\n {2}files:\n {4}- appspec.yaml/);
  });

  test('the publisher updates and publishes only the application functions; the CodeDeploy role shifts only their aliases', () => {
    const fns = ['worker-dev', 'worker-staging', 'worker-prod'].flatMap((f) => [`arn:aws:lambda:us-east-1:111122223333:function:${f}`, `arn:aws:lambda:us-east-1:111122223333:function:${f}:*`]);
    const pub = policyOf(worker, 'publish_project_role_policy').find((s) => list(s.Action).includes('lambda:PublishVersion'))!;
    expect(list(pub.Resource).sort()).toEqual([...fns].sort());
    expect(list(pub.Action)).not.toContain('lambda:UpdateFunctionConfiguration');
    const cd = policyOf(worker, 'deploy_role_policy').filter((s) => list(s.Action).includes('lambda:UpdateAlias')).flatMap((s) => list(s.Resource));
    expect(cd.sort()).toEqual([...fns].sort());
    const run = policyOf(worker, 'pipeline_role_policy').filter((s) => list(s.Action).includes('codebuild:StartBuild')).flatMap((s) => list(s.Resource));
    expect(run).toContain('arn:aws:codebuild:us-east-1:111122223333:project/gantry-worker-publish');
  });
});

describe('rollback and alarms', () => {
  const groups = Object.entries(all).flatMap(([stack, tf]) => resources(tf, 'aws_codedeploy_deployment_group').map(([n, g]) => ({ stack, n, g })));

  test('every deployment group rolls back on failure, and on alarm exactly where it watches alarms', () => {
    expect(groups.length).toBe(9);
    for (const { g } of groups) {
      const alarms = g.alarm_configuration?.alarms ?? [];
      expect(g.auto_rollback_configuration).toEqual({ enabled: true, events: alarms.length ? ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] : ['DEPLOYMENT_FAILURE'] });
      if (alarms.length) expect(g.alarm_configuration).toMatchObject({ enabled: true, ignore_poll_alarm_failure: false });
    }
  });

  test('standard alarms are created, notify the alerts topic and are wired to their group', () => {
    const rate = named(web, 'aws_cloudwatch_metric_alarm', 'alarms-prod_5xx-rate');
    expect(rate).toMatchObject({ alarm_name: 'gantry-web-prod-5xx-rate', threshold: 2, comparison_operator: 'GreaterThanThreshold', alarm_actions: ['arn:aws:sns:us-east-1:111122223333:gantry-web-alerts'] });
    expect(rate.metric_query.map((q: any) => q.metric?.metric_name ?? q.expression)).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount', 'IF(requests > 0, 100 * errors / requests, 0)']);
    expect(named(web, 'aws_cloudwatch_metric_alarm', 'alarms-prod_unhealthy-hosts')).toMatchObject({ metric_name: 'UnHealthyHostCount', dimensions: { TargetGroup: 'targetgroup/web-prod/73e2d6bc24d8a067' } });
    const errors = named(worker, 'aws_cloudwatch_metric_alarm', 'alarms-prod_lambda-errors');
    expect(errors).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Errors', dimensions: { FunctionName: 'worker-prod' }, threshold: 5 });
    expect(group(worker, 'prod').alarm_configuration.alarms).toEqual(['worker-prod-errors', 'gantry-worker-prod-lambda-errors']);
    expect(group(worker, 'staging').alarm_configuration.alarms).toEqual(['gantry-worker-staging-lambda-errors']);
    expect(group(worker, 'dev').alarm_configuration).toBeUndefined();
  });

  test('only those alarms may publish to the encrypted alerts topic', () => {
    const st = statements(named(api, 'aws_sns_topic_policy', 'alerts_policy').policy).find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect(st.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:gantry-api-prod-5xx-rate', 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:gantry-api-prod-unhealthy-hosts'] },
    });
    const key = statements(only(api, 'aws_kms_key').policy).find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect(key.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
  });
});

describe('per-environment configuration access', () => {
  /** Every policy (stack, name) that grants Parameter Store or Secrets Manager reads for an environment. */
  const cases: [string, TfJson, string, string][] = [
    ...['dev', 'staging', 'prod'].map((e): [string, TfJson, string, string] => ['express-app', web, e, `instance-${e}_policy`]),
    ...['dev', 'staging', 'prod'].map((e): [string, TfJson, string, string] => ['api', api, e, `runtime-${e}_policy`]),
    ...['dev', 'staging', 'prod'].map((e): [string, TfJson, string, string] => ['worker', worker, e, `runtime-${e}_policy`]),
  ];

  test.each(cases)('%s %s: exactly its own parameter path and secret prefix, decrypting only via SSM / Secrets Manager', (app, tf, env, policy) => {
    const st = policyOf(tf, policy);
    const params = st.filter((s) => list(s.Action).some((a) => a.startsWith('ssm:')));
    expect(params).toHaveLength(1);
    expect(list(params[0].Action).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']);
    expect(params[0].Resource).toEqual([`arn:aws:ssm:us-east-1:111122223333:parameter/${app}/${env}`, `arn:aws:ssm:us-east-1:111122223333:parameter/${app}/${env}/*`]);
    const secrets = st.filter((s) => list(s.Action).some((a) => a.startsWith('secretsmanager:')));
    expect(secrets.map((s) => s.Resource)).toEqual([`arn:aws:secretsmanager:us-east-1:111122223333:secret:${app}/${env}/*`]);
    const kms = st.find((s) => s.Sid === 'DecryptEnvironmentConfiguration')!;
    expect(kms).toMatchObject({ Action: 'kms:Decrypt', Resource: '${aws_kms_key.key.arn}' });
    expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['ssm.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'] } });
    // No other environment of any application appears anywhere in the policy.
    const text = JSON.stringify(st);
    for (const other of ['dev', 'staging', 'prod'].filter((e) => e !== env)) expect(text).not.toContain(`/${other}`);
  });

  test('runtime policies attach to the configured existing roles, inline', () => {
    expect(named(api, 'aws_iam_role_policy', 'runtime-prod_policy')).toMatchObject({ role: 'api-prod-task', name: 'gantry-api-prod-config-read' });
    expect(named(worker, 'aws_iam_role_policy', 'runtime-dev_policy')).toMatchObject({ role: 'worker-dev-exec', name: 'gantry-worker-dev-config-read' });
  });
});

describe('parallel tests', () => {
  test('a Test stage after Build runs unit and integration side by side on the source', () => {
    const p = only(web, 'aws_codepipeline');
    expect(p.stage.map((s: any) => s.name).slice(0, 3)).toEqual(['Source', 'Build', 'Test']);
    expect(stage(web, 'Test').action.map((a: any) => [a.name, a.category, a.provider, a.run_order, a.input_artifacts, a.configuration.ProjectName])).toEqual([
      ['unit', 'Test', 'CodeBuild', 1, ['SourceOutput'], 'gantry-web-test-unit'],
      ['integration', 'Test', 'CodeBuild', 1, ['SourceOutput'], 'gantry-web-test-integration'],
    ]);
    expect(stage(api, 'Test')).toBeUndefined();
  });

  test('each test project has its own role and log group, the application key and the JUnit report group', () => {
    for (const t of ['unit', 'integration']) {
      const project = named(web, 'aws_codebuild_project', `test-${t}_project`);
      expect(project).toMatchObject({ name: `gantry-web-test-${t}`, encryption_key: '${aws_kms_key.key.arn}', source: { type: 'CODEPIPELINE', buildspec: `buildspecs/${t}.yml` } });
      expect(project.service_role).toBe(`\${aws_iam_role.test-${t}_role.arn}`);
      expect(project.logs_config.cloudwatch_logs.group_name).toBe(`/aws/codebuild/gantry-web-test-${t}`);
      expect(named(web, 'aws_cloudwatch_log_group', `test-${t}_logs_group`)).toMatchObject({ kms_key_id: '${aws_kms_key.key.arn}', retention_in_days: 90 });
      expect(named(web, 'aws_codebuild_report_group', `test-${t}_report-junit`).name).toBe(`gantry-web-test-${t}-junit`);
    }
    expect(named(web, 'aws_codebuild_project', 'test-integration_project').build_timeout).toBe(45);
  });
});

describe('configuration checks for strategies', () => {
  function problems(mutate: (c: any) => void): string[] {
    const c = clone(example) as GantryConfigInput as any;
    mutate(c);
    try {
      validateConfig(c, 'gantry.config.ts');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return [...(e as ConfigError).problems];
    }
    throw new Error('expected the configuration to be rejected');
  }

  test('a custom configuration must fit the platform', () => {
    expect(problems((c) => (c.applications[0].deploy.deploymentConfig = { type: 'canary', percentage: 10, intervalMinutes: 5 })).join('\n')).toMatch(/deploymentConfig\.type.*minimum-healthy-hosts/);
    expect(problems((c) => (c.applications[2].deploy.deploymentConfig = { type: 'minimum-healthy-hosts', unit: 'HOST_COUNT', value: 1 })).join('\n')).toMatch(/"lambda" deployments use "canary" or "linear"/);
  });

  test('a predefined configuration of another platform is refused', () => {
    expect(problems((c) => (c.applications[1].deploy.deploymentConfig = 'CodeDeployDefault.LambdaCanary10Percent5Minutes')).join('\n')).toMatch(/not a predefined "ecs" configuration/);
  });

  test('standard alarms must fit the platform, and blue/green excludes an in-place target group', () => {
    expect(problems((c) => (c.applications[0].environments[0].standardAlarms = { lambdaErrors: {} })).join('\n')).toMatch(/lambdaErrors.*only for deploy.platform "lambda"/);
    expect(problems((c) => (c.applications[0].environments[2].server.inPlaceTargetGroup = 'x')).join('\n')).toMatch(/exclude each other/);
    expect(problems((c) => (c.applications[0].environments[0].runtimeRoleName = 'web-dev')).join('\n')).toMatch(/Gantry creates the instance role/);
  });
});
