/**
 * The example Gantry declaration: three applications covering every option — CodeCommit and
 * GitHub sources, server / ECS / Lambda deployments, S3 / local / no cache, plain, Parameter
 * Store and Secrets Manager variables, approvals and alarms. Copy it and make it yours.
 */
import { defineConfig } from './stacks/config/schema';

export default defineConfig({
  prefix: 'gantry',
  region: 'eu-west-1',
  // With the account id in the config, plans need no AWS call to learn it (and run offline).
  accountId: '111122223333',
  tags: { Team: 'platform', CostCenter: 'cc-1234' },
  state: {
    bucket: 'gantry-terraform-state-111122223333-eu-west-1',
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
      deploy: { platform: 'server', deploymentConfig: 'CodeDeployDefault.HalfAtATime', autoRollback: true, alarms: ['web-5xx-rate'] },
      environments: [
        { name: 'dev', server: { ec2TagFilters: [{ key: 'app', value: 'web' }, { key: 'env', value: 'dev' }] } },
        { name: 'staging', approval: false, server: { autoScalingGroups: ['web-staging-asg'] } },
        { name: 'prod', approval: true, alarms: ['web-prod-unhealthy-hosts'], server: { autoScalingGroups: ['web-prod-asg'] } },
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
          name: 'staging',
          ecs: {
            cluster: 'staging',
            service: 'api',
            targetGroups: ['api-staging-blue', 'api-staging-green'],
            productionListenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/staging/0123456789abcdef/0123456789abcdef',
            testListenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/staging/0123456789abcdef/fedcba9876543210',
            taskRoleNames: ['api-staging-task', 'api-staging-execution'],
          },
        },
        {
          name: 'prod',
          approval: true,
          ecs: {
            cluster: 'prod',
            service: 'api',
            targetGroups: ['api-prod-blue', 'api-prod-green'],
            productionListenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/prod/0123456789abcdef/0123456789abcdef',
            taskRoleNames: ['api-prod-task', 'api-prod-execution'],
          },
        },
      ],
    },
    {
      name: 'worker',
      source: { type: 'codecommit', requiredApprovals: 3 },
      build: { cache: { type: 'none' }, timeoutMinutes: 20 },
      deploy: { platform: 'lambda', deploymentConfig: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' },
      environments: [
        { name: 'dev', lambda: { functionName: 'worker-dev', alias: 'live' } },
        { name: 'prod', approval: true, alarms: ['worker-prod-errors'], lambda: { functionName: 'worker-prod' } },
      ],
    },
  ],
});
