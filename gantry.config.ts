/**
 * The example Gantry declaration: one application per platform across dev → staging → prod —
 * servers (in place, then blue/green in prod), ECS blue/green with a canary, Lambda with a custom
 * canary — covering CodeCommit and GitHub sources, S3 / local / no cache, plain, Parameter Store and
 * Secrets Manager variables, parallel unit and integration tests, approvals, existing and
 * standard alarms, and per-environment runtime configuration. Copy it and make it yours.
 */
import { defineConfig } from './stacks/config/schema';

export default defineConfig({
  prefix: 'gantry',
  region: 'us-east-1',
  // With the account id in the config, plans need no AWS call to learn it (and run offline).
  accountId: '111122223333',
  tags: { Team: 'platform', CostCenter: 'cc-1234' },
  state: {
    bucket: 'gantry-terraform-state-111122223333-us-east-1',
    lockTable: 'gantry-terraform-locks',
    useLockfile: true,
  },
  notifications: {
    approvers: ['release-managers@example.com'],
    alerts: ['platform-oncall@example.com', 'web-team@example.com'],
  },
  applications: [
    {
      name: 'web',
      source: { type: 'codecommit', description: 'Customer-facing web application', defaultBranch: 'main', requiredApprovals: 2 },
      build: {
        computeType: 'BUILD_GENERAL1_MEDIUM',
        image: 'aws/codebuild/standard:7.0',
        timeoutMinutes: 30,
        buildspec: 'buildspec.yml',
        cache: { type: 's3' },
        environment: [
          { name: 'NODE_ENV', type: 'plaintext', value: 'production' },
          { name: 'API_URL', type: 'parameter-store', value: '/web/build/api-url' },
          { name: 'NPM_TOKEN', type: 'secrets-manager', value: 'web/npm-token:token' },
        ],
        reportGroup: { name: 'junit' },
      },
      // The sample service in examples/express-app: its install script reads /express-app/<env>/runtime/*.
      configName: 'express-app',
      // Unit and integration tests run side by side in a Test stage after the build.
      tests: [
        { name: 'unit', buildspec: 'buildspecs/unit.yml' },
        { name: 'integration', buildspec: 'buildspecs/integration.yml', timeoutMinutes: 45 },
      ],
      deploy: { platform: 'server', deploymentConfig: 'CodeDeployDefault.HalfAtATime', autoRollback: true, alarms: ['web-5xx-rate'] },
      environments: [
        // In place on tagged instances.
        { name: 'dev', server: { ec2TagFilters: [{ key: 'app', value: 'web' }, { key: 'env', value: 'dev' }] } },
        // In place on an Auto Scaling group, each instance leaving the target group while it updates.
        { name: 'staging', approval: false, server: { autoScalingGroups: ['web-staging-asg'], inPlaceTargetGroup: 'web-staging' } },
        // Blue/green: the replacement instances already exist (a second, Terraform-managed group).
        {
          name: 'prod',
          approval: true,
          alarms: ['web-prod-unhealthy-hosts'],
          standardAlarms: {
            http5xxRate: { loadBalancer: 'app/web-prod/50dc6c495c0c9188', targetGroup: 'targetgroup/web-prod/73e2d6bc24d8a067', thresholdPercent: 2 },
            unhealthyHosts: { loadBalancer: 'app/web-prod/50dc6c495c0c9188', targetGroup: 'targetgroup/web-prod/73e2d6bc24d8a067' },
          },
          server: { autoScalingGroups: ['web-prod-asg'], blueGreen: { targetGroup: 'web-prod', originalInstances: 'terminate', terminationWaitMinutes: 60 } },
        },
      ],
    },
    {
      name: 'api',
      source: { type: 'connection', provider: 'GitHub', repository: 'example-org/api', branch: 'main' },
      build: {
        cache: { type: 'local', modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] },
        environment: [{ name: 'DB_PASSWORD', type: 'secrets-manager', value: 'api/db' }],
      },
      deploy: { platform: 'ecs', deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes', alarms: ['api-5xx-rate'] },
      environments: [
        {
          name: 'dev',
          runtimeRoleName: 'api-dev-task',
          ecs: {
            cluster: 'dev',
            service: 'api',
            targetGroups: ['api-dev-blue', 'api-dev-green'],
            productionListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/dev/0123456789abcdef/0123456789abcdef',
            taskRoleNames: ['api-dev-task', 'api-dev-execution'],
            terminationWaitMinutes: 0,
            taskDefinitionTemplatePath: 'deploy/ecs/taskdef.json',
            appSpecTemplatePath: 'deploy/ecs/appspec.yml',
          },
        },
        {
          name: 'staging',
          runtimeRoleName: 'api-staging-task',
          ecs: {
            cluster: 'staging',
            service: 'api',
            targetGroups: ['api-staging-blue', 'api-staging-green'],
            productionListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/staging/0123456789abcdef/0123456789abcdef',
            testListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/staging/0123456789abcdef/fedcba9876543210',
            taskRoleNames: ['api-staging-task', 'api-staging-execution'],
            taskDefinitionTemplatePath: 'deploy/ecs/taskdef.json',
            appSpecTemplatePath: 'deploy/ecs/appspec.yml',
          },
        },
        {
          name: 'prod',
          approval: true,
          runtimeRoleName: 'api-prod-task',
          standardAlarms: {
            http5xxRate: { loadBalancer: 'app/prod/0123456789abcdef', targetGroup: 'targetgroup/api-prod-blue/0123456789abcdef' },
            unhealthyHosts: { loadBalancer: 'app/prod/0123456789abcdef', targetGroup: 'targetgroup/api-prod-blue/0123456789abcdef', threshold: 2 },
          },
          ecs: {
            cluster: 'prod',
            service: 'api',
            targetGroups: ['api-prod-blue', 'api-prod-green'],
            productionListenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/prod/0123456789abcdef/0123456789abcdef',
            taskRoleNames: ['api-prod-task', 'api-prod-execution'],
            terminationWaitMinutes: 30,
            taskDefinitionTemplatePath: 'deploy/ecs/taskdef.json',
            appSpecTemplatePath: 'deploy/ecs/appspec.yml',
          },
        },
      ],
    },
    {
      name: 'worker',
      source: { type: 'codecommit', requiredApprovals: 3 },
      build: { cache: { type: 'none' }, timeoutMinutes: 20 },
      // A custom canary: 20% of the alias's traffic for 10 minutes, then the rest.
      deploy: { platform: 'lambda', deploymentConfig: { type: 'canary', percentage: 20, intervalMinutes: 10 } },
      environments: [
        { name: 'dev', runtimeRoleName: 'worker-dev-exec', lambda: { functionName: 'worker-dev', alias: 'live' } },
        { name: 'staging', runtimeRoleName: 'worker-staging-exec', standardAlarms: { lambdaErrors: {} }, lambda: { functionName: 'worker-staging' } },
        {
          name: 'prod',
          approval: true,
          alarms: ['worker-prod-errors'],
          runtimeRoleName: 'worker-prod-exec',
          standardAlarms: { lambdaErrors: { threshold: 5 } },
          lambda: { functionName: 'worker-prod' },
        },
      ],
    },
  ],
  // Gantry's own stacks ship through an audited pipeline: audit → saved plans → approval (audit summary, cost delta) → apply.
  infrastructure: {
    source: { type: 'codecommit', repositoryName: 'gantry', branch: 'main' },
    budget: 250,
    approvers: ['platform-leads@example.com'],
  },
});
