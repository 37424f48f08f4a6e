/**
 * A held-out Terraform config written the way a person writes tf.json by hand (no cdktf): literal
 * JSON policy strings with `${…}` references inside, aws_iam_policy_document data sources with
 * source_policy_documents, count and for_each blocks. Every block named `good*` is well built;
 * every other block carries the planted problems listed in PLANTED.
 */
export const ACCOUNT = '123456789012';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = (Principal: object, Condition?: object) => doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal, ...(Condition ? { Condition } : {}) });
const SOURCE_ACCOUNT = { StringEquals: { 'aws:SourceAccount': ACCOUNT } };

/** Eleven AWS-managed read-only policies: one more than the default 10 managed policies per role. */
export const ELEVEN_POLICIES = [
  'AmazonS3ReadOnlyAccess',
  'AmazonDynamoDBReadOnlyAccess',
  'CloudWatchReadOnlyAccess',
  'AmazonSNSReadOnlyAccess',
  'AmazonSQSReadOnlyAccess',
  'AWSCodeCommitReadOnly',
  'AWSCodeBuildReadOnlyAccess',
  'AWSCodePipeline_ReadOnlyAccess',
  'AWSCodeDeployReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess',
  'AWSLambda_ReadOnlyAccess',
].map((n) => `arn:aws:iam::aws:policy/${n}`);

export const PIPELINE_COUNT = 1001;
export const FLEET_COUNT = 3;

function goodPipelineBody(name: string): Record<string, unknown> {
  return {
    name,
    role_arn: '${aws_iam_role.good_pipeline.arn}',
    artifact_store: [{ location: '${aws_s3_bucket.good.bucket}', type: 'S3', encryption_key: [{ id: '${aws_kms_key.good.arn}', type: 'KMS' }] }],
    stage: [
      {
        name: 'Source',
        action: [
          {
            name: 'Source',
            category: 'Source',
            owner: 'AWS',
            provider: 'CodeStarSourceConnection',
            version: '1',
            output_artifacts: ['src'],
            configuration: { ConnectionArn: '${aws_codestarconnections_connection.good.arn}', FullRepositoryId: 'acme/app', BranchName: 'main' },
          },
        ],
      },
      {
        name: 'Build',
        action: [{ name: 'Build', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], output_artifacts: ['out'], configuration: { ProjectName: '${aws_codebuild_project.good.name}' } }],
      },
    ],
  };
}

export function heldoutConfig(): Record<string, any> {
  return {
    terraform: {
      required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } },
      backend: { s3: { bucket: 'acme-tfstate', key: 'delivery/terraform.tfstate', region: 'us-east-1', dynamodb_table: 'acme-tf-locks' } },
    },
    provider: { aws: [{ region: 'us-east-1' }] },
    data: {
      aws_iam_policy_document: {
        good_logs: {
          statement: [{ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.good.arn}:*'] }],
        },
        good_build: {
          source_policy_documents: ['${data.aws_iam_policy_document.good_logs.json}'],
          statement: [
            { sid: 'Artifacts', actions: ['s3:GetObject', 's3:PutObject'], resources: ['${aws_s3_bucket.good.arn}/*'] },
            { sid: 'Key', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['${aws_kms_key.good.arn}'] },
          ],
        },
        escalate_build: {
          statement: [{ sid: 'Builds', actions: ['codebuild:CreateProject', 'codebuild:StartBuild'], resources: ['*'] }],
        },
      },
    },
    resource: {
      // ---- KMS ---------------------------------------------------------------------------
      aws_kms_key: {
        good: {
          description: 'delivery artifacts',
          enable_key_rotation: true,
          deletion_window_in_days: 30,
          policy: doc({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }),
        },
        open: {
          description: 'open to everyone, never rotated',
          policy: doc({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }),
        },
      },
      // ---- S3 ----------------------------------------------------------------------------
      aws_s3_bucket: {
        good: { bucket: 'acme-heldout-good-artifacts' },
        plain: { bucket: 'acme-heldout-plain' },
        sses3: { bucket: 'acme-heldout-sses3' },
      },
      aws_s3_bucket_versioning: {
        good: { bucket: '${aws_s3_bucket.good.id}', versioning_configuration: [{ status: 'Enabled' }] },
        sses3: { bucket: '${aws_s3_bucket.sses3.id}', versioning_configuration: [{ status: 'Enabled' }] },
      },
      aws_s3_bucket_server_side_encryption_configuration: {
        good: {
          bucket: '${aws_s3_bucket.good.id}',
          rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.good.arn}' }], bucket_key_enabled: true }],
        },
        sses3: { bucket: '${aws_s3_bucket.sses3.id}', rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }] },
      },
      aws_s3_bucket_public_access_block: {
        good: { bucket: '${aws_s3_bucket.good.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        sses3: { bucket: '${aws_s3_bucket.sses3.id}', block_public_acls: true, block_public_policy: true },
      },
      aws_s3_bucket_policy: {
        good: {
          bucket: '${aws_s3_bucket.good.id}',
          policy: doc({
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['${aws_s3_bucket.good.arn}', '${aws_s3_bucket.good.arn}/*'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        },
        sses3: {
          bucket: '${aws_s3_bucket.sses3.id}',
          policy: doc({ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::acme-heldout-sses3', 'arn:aws:s3:::acme-heldout-sses3/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        },
      },
      // ---- state lock tables ---------------------------------------------------------------
      aws_dynamodb_table: {
        good_locks: {
          name: 'acme-tf-locks-good',
          billing_mode: 'PAY_PER_REQUEST',
          hash_key: 'LockID',
          attribute: [{ name: 'LockID', type: 'S' }],
          point_in_time_recovery: [{ enabled: true }],
          deletion_protection_enabled: true,
          server_side_encryption: [{ enabled: true, kms_key_arn: '${aws_kms_key.good.arn}' }],
        },
        locks: { name: 'acme-tf-locks', billing_mode: 'PAY_PER_REQUEST', hash_key: 'LockID', attribute: [{ name: 'LockID', type: 'S' }] },
      },
      // ---- logs, topics, secrets, parameters ------------------------------------------------
      aws_cloudwatch_log_group: {
        good: { name: '/aws/codebuild/acme-good', retention_in_days: 90, kms_key_id: '${aws_kms_key.good.arn}' },
        plain: { name: '/aws/codebuild/acme-plain' },
      },
      aws_sns_topic: {
        good: { name: 'acme-approvals-good', kms_master_key_id: '${aws_kms_key.good.id}' },
        aws_managed: { name: 'acme-approvals', kms_master_key_id: 'alias/aws/sns' },
      },
      aws_secretsmanager_secret: {
        good: { name: 'acme/good/token', kms_key_id: '${aws_kms_key.good.arn}' },
        plain: { name: 'acme/plain/token' },
      },
      aws_ssm_parameter: {
        good: { name: '/acme/good/db/password', type: 'SecureString', value: 'placeholder-value', key_id: '${aws_kms_key.good.arn}' },
        password: { name: '/acme/db/password', type: 'String', value: 'hunter2-not-secret' },
      },
      // ---- IAM -----------------------------------------------------------------------------
      aws_iam_role: {
        good_build: { name: 'acme-good-build', assume_role_policy: trust({ Service: 'codebuild.amazonaws.com' }, SOURCE_ACCOUNT) },
        good_pipeline: { name: 'acme-good-pipeline', assume_role_policy: trust({ Service: 'codepipeline.amazonaws.com' }, SOURCE_ACCOUNT) },
        good_deploy: { name: 'acme-good-deploy', assume_role_policy: trust({ Service: 'codedeploy.amazonaws.com' }, SOURCE_ACCOUNT) },
        admin: { name: 'acme-admin', assume_role_policy: trust({ AWS: '*' }) },
        ops: { name: 'acme-ops', assume_role_policy: trust({ AWS: 'arn:aws:iam::210987654321:root' }) },
        deputy: { name: 'acme-deputy', assume_role_policy: trust({ Service: 'codepipeline.amazonaws.com' }) },
        builder: { name: 'acme-builder', assume_role_policy: trust({ Service: 'codebuild.amazonaws.com' }, SOURCE_ACCOUNT) },
        crowded: { name: 'acme-crowded', assume_role_policy: trust({ Service: 'codebuild.amazonaws.com' }, SOURCE_ACCOUNT) },
      },
      aws_iam_role_policy: {
        good_build: { name: 'build', role: '${aws_iam_role.good_build.id}', policy: '${data.aws_iam_policy_document.good_build.json}' },
        good_pipeline: {
          name: 'pipeline',
          role: '${aws_iam_role.good_pipeline.id}',
          policy: doc(
            { Sid: 'Artifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '${aws_s3_bucket.good.arn}/*' },
            { Sid: 'Builds', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'], Resource: '${aws_codebuild_project.good.arn}' },
            { Sid: 'Connection', Effect: 'Allow', Action: 'codestar-connections:UseConnection', Resource: '${aws_codestarconnections_connection.good.arn}' },
            { Sid: 'Key', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '${aws_kms_key.good.arn}' },
          ),
        },
        admin: { name: 'admin', role: '${aws_iam_role.admin.id}', policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
        ops: {
          name: 'ops',
          role: '${aws_iam_role.ops.id}',
          policy: doc(
            { Sid: 'AllS3', Effect: 'Allow', Action: 's3:*', Resource: '*' },
            { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
            { Sid: 'Typo', Effect: 'Allow', Action: 's3:GetObjekt', Resource: 'arn:aws:s3:::acme-heldout-plain/*' },
          ),
        },
        deputy: { name: 'deputy', role: '${aws_iam_role.deputy.id}', policy: doc({ Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) },
        builder_pass: {
          name: 'pass',
          role: '${aws_iam_role.builder.id}',
          policy: doc({ Sid: 'PassDeploy', Effect: 'Allow', Action: 'iam:PassRole', Resource: '${aws_iam_role.good_deploy.arn}' }),
        },
      },
      aws_iam_policy: {
        escalate: { name: 'acme-builder-builds', policy: '${data.aws_iam_policy_document.escalate_build.json}' },
      },
      aws_iam_role_policy_attachment: {
        builder_builds: { role: '${aws_iam_role.builder.name}', policy_arn: '${aws_iam_policy.escalate.arn}' },
        ops_admin: { role: '${aws_iam_role.ops.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        crowded: { for_each: '${toset(' + JSON.stringify(ELEVEN_POLICIES) + ')}', role: '${aws_iam_role.crowded.name}', policy_arn: '${each.value}' },
      },
      // ---- CodeBuild -------------------------------------------------------------------------
      aws_codebuild_project: {
        good: {
          name: 'acme-good-build',
          service_role: '${aws_iam_role.good_build.arn}',
          encryption_key: '${aws_kms_key.good.arn}',
          artifacts: [{ type: 'CODEPIPELINE' }],
          source: [{ type: 'CODEPIPELINE', buildspec: 'buildspec.yml' }],
          environment: [
            {
              compute_type: 'BUILD_GENERAL1_SMALL',
              image: 'aws/codebuild/standard:7.0',
              type: 'LINUX_CONTAINER',
              environment_variable: [{ name: 'TOKEN', type: 'SECRETS_MANAGER', value: '${aws_secretsmanager_secret.good.name}' }],
            },
          ],
          logs_config: [{ cloudwatch_logs: [{ group_name: '${aws_cloudwatch_log_group.good.name}' }] }],
        },
        leaky: {
          name: 'acme-leaky-build',
          service_role: '${aws_iam_role.builder.arn}',
          artifacts: [{ type: 'S3', location: '${aws_s3_bucket.plain.bucket}', encryption_disabled: true }],
          source: [{ type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n' }],
          environment: [
            {
              compute_type: 'BUILD_GENERAL1_SMALL',
              image: 'aws/codebuild/standard:7.0',
              type: 'LINUX_CONTAINER',
              environment_variable: [
                { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
                { name: 'AWS_SECRET_ACCESS_KEY', type: 'PLAINTEXT', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
              ],
            },
          ],
        },
        good_fleet: {
          count: FLEET_COUNT,
          name: 'acme-fleet-${count.index}',
          service_role: '${aws_iam_role.good_build.arn}',
          encryption_key: '${aws_kms_key.good.arn}',
          artifacts: [{ type: 'NO_ARTIFACTS' }],
          source: [{ type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - make test\n' }],
          environment: [{ compute_type: 'BUILD_GENERAL1_LARGE', image: 'aws/codebuild/standard:7.0', type: 'LINUX_CONTAINER' }],
        },
      },
      // ---- CodeCommit ------------------------------------------------------------------------
      aws_codecommit_repository: {
        good: { repository_name: 'acme-good', kms_key_id: '${aws_kms_key.good.arn}' },
        lax: { repository_name: 'acme-lax' },
      },
      aws_codecommit_approval_rule_template: {
        good_two: {
          name: 'two-approvals',
          content: JSON.stringify({ Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 2 }] }),
        },
        one: {
          name: 'one-approval',
          content: JSON.stringify({ Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1 }] }),
        },
      },
      aws_codecommit_approval_rule_template_association: {
        good: { approval_rule_template_name: '${aws_codecommit_approval_rule_template.good_two.name}', repository_name: '${aws_codecommit_repository.good.repository_name}' },
        lax: { approval_rule_template_name: '${aws_codecommit_approval_rule_template.one.name}', repository_name: '${aws_codecommit_repository.lax.repository_name}' },
      },
      aws_codestarconnections_connection: { good: { name: 'acme-github', provider_type: 'GitHub' } },
      // ---- CodeDeploy --------------------------------------------------------------------------
      aws_codedeploy_app: { app: { name: 'acme-app', compute_platform: 'Server' } },
      aws_cloudwatch_metric_alarm: {
        good_errors: {
          alarm_name: 'acme-5xx',
          comparison_operator: 'GreaterThanThreshold',
          evaluation_periods: 1,
          metric_name: 'HTTPCode_Target_5XX_Count',
          namespace: 'AWS/ApplicationELB',
          period: 60,
          statistic: 'Sum',
          threshold: 5,
          alarm_actions: ['${aws_sns_topic.good.arn}'],
        },
      },
      aws_codedeploy_deployment_group: {
        good_production: {
          app_name: '${aws_codedeploy_app.app.name}',
          deployment_group_name: 'production',
          service_role_arn: '${aws_iam_role.good_deploy.arn}',
          ec2_tag_filter: [{ key: 'env', type: 'KEY_AND_VALUE', value: 'production' }],
          auto_rollback_configuration: [{ enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] }],
          alarm_configuration: [{ enabled: true, alarms: ['${aws_cloudwatch_metric_alarm.good_errors.alarm_name}'] }],
        },
        prod: {
          app_name: '${aws_codedeploy_app.app.name}',
          deployment_group_name: 'prod-eu',
          service_role_arn: '${aws_iam_role.good_deploy.arn}',
          ec2_tag_filter: [{ key: 'env', type: 'KEY_AND_VALUE', value: 'prod-eu' }],
        },
      },
      // ---- CodePipeline ------------------------------------------------------------------------
      aws_codepipeline: {
        good_release: {
          name: 'acme-good-release',
          role_arn: '${aws_iam_role.good_pipeline.arn}',
          artifact_store: [{ location: '${aws_s3_bucket.good.bucket}', type: 'S3', encryption_key: [{ id: '${aws_kms_key.good.arn}', type: 'KMS' }] }],
          stage: [
            {
              name: 'Source',
              action: [
                {
                  name: 'Source',
                  category: 'Source',
                  owner: 'AWS',
                  provider: 'CodeCommit',
                  version: '1',
                  output_artifacts: ['src'],
                  configuration: { RepositoryName: '${aws_codecommit_repository.good.repository_name}', BranchName: 'main', PollForSourceChanges: 'false' },
                },
              ],
            },
            {
              name: 'Build',
              action: [{ name: 'Build', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], output_artifacts: ['out'], configuration: { ProjectName: '${aws_codebuild_project.good.name}' } }],
            },
            {
              name: 'Approve',
              action: [{ name: 'Approve', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1', configuration: { NotificationArn: '${aws_sns_topic.good.arn}' } }],
            },
            {
              name: 'Production',
              action: [
                {
                  name: 'Deploy',
                  category: 'Deploy',
                  owner: 'AWS',
                  provider: 'CodeDeploy',
                  version: '1',
                  input_artifacts: ['out'],
                  configuration: { ApplicationName: '${aws_codedeploy_app.app.name}', DeploymentGroupName: '${aws_codedeploy_deployment_group.good_production.deployment_group_name}' },
                },
              ],
            },
          ],
        },
        hasty: {
          name: 'acme-hasty-release',
          role_arn: '${aws_iam_role.good_pipeline.arn}',
          artifact_store: [{ location: '${aws_s3_bucket.plain.bucket}', type: 'S3' }],
          stage: [
            {
              name: 'Source',
              action: [
                {
                  name: 'Source',
                  category: 'Source',
                  owner: 'AWS',
                  provider: 'CodeCommit',
                  version: '1',
                  output_artifacts: ['src'],
                  configuration: { RepositoryName: '${aws_codecommit_repository.lax.repository_name}', BranchName: 'main', PollForSourceChanges: 'true' },
                },
              ],
            },
            {
              name: 'Deploy',
              action: [
                {
                  name: 'Deploy',
                  category: 'Deploy',
                  owner: 'AWS',
                  provider: 'CodeDeploy',
                  version: '1',
                  input_artifacts: ['src'],
                  configuration: { ApplicationName: '${aws_codedeploy_app.app.name}', DeploymentGroupName: '${aws_codedeploy_deployment_group.prod.deployment_group_name}' },
                },
              ],
            },
          ],
        },
        many: { count: PIPELINE_COUNT, ...goodPipelineBody('acme-service-${count.index}') },
      },
    },
  };
}

/** [rule id, block address] of every planted problem. */
export const PLANTED: readonly (readonly [string, string])[] = [
  // IAM
  ['iam/admin-star', 'aws_iam_role_policy.admin'],
  ['iam/privilege-escalation', 'aws_iam_role.admin'],
  ['iam/trust-any-principal', 'aws_iam_role.admin'],
  ['iam/service-wildcard', 'aws_iam_role_policy.ops'],
  ['iam/passrole-unrestricted', 'aws_iam_role_policy.ops'],
  ['iam/unknown-action', 'aws_iam_role_policy.ops'],
  ['iam/trust-whole-account', 'aws_iam_role.ops'],
  ['iam/aws-managed-admin-policy', 'aws_iam_role_policy_attachment.ops_admin'],
  ['iam/trust-service-confused-deputy', 'aws_iam_role.deputy'],
  ['iam/allow-not-action', 'aws_iam_role_policy.deputy'],
  ['iam/privilege-escalation', 'aws_iam_role.builder'],
  // encryption
  ['encryption/kms-key-rotation', 'aws_kms_key.open'],
  ['encryption/kms-key-policy-wildcard-principal', 'aws_kms_key.open'],
  ['encryption/s3-bucket-sse-kms', 'aws_s3_bucket.plain'],
  ['encryption/s3-bucket-sse-kms', 'aws_s3_bucket.sses3'],
  ['encryption/s3-public-access-block', 'aws_s3_bucket.plain'],
  ['encryption/s3-public-access-block', 'aws_s3_bucket.sses3'],
  ['encryption/s3-tls-only-policy', 'aws_s3_bucket.plain'],
  ['encryption/codebuild-plaintext-secrets', 'aws_codebuild_project.leaky'],
  ['encryption/codebuild-encryption-disabled', 'aws_codebuild_project.leaky'],
  ['encryption/codebuild-project-encryption-key', 'aws_codebuild_project.leaky'],
  ['encryption/codepipeline-artifact-store-key', 'aws_codepipeline.hasty'],
  ['encryption/sns-topic-customer-key', 'aws_sns_topic.aws_managed'],
  ['encryption/log-group-kms-key', 'aws_cloudwatch_log_group.plain'],
  ['encryption/dynamodb-table-customer-key', 'aws_dynamodb_table.locks'],
  ['encryption/secretsmanager-secret-customer-key', 'aws_secretsmanager_secret.plain'],
  ['encryption/ssm-parameter-secure-string', 'aws_ssm_parameter.password'],
  ['encryption/codecommit-repository-key', 'aws_codecommit_repository.lax'],
  // reliability and delivery
  ['reliability/s3-bucket-versioning', 'aws_s3_bucket.plain'],
  ['reliability/dynamodb-lock-table-protection', 'aws_dynamodb_table.locks'],
  ['reliability/log-group-retention', 'aws_cloudwatch_log_group.plain'],
  ['reliability/codedeploy-auto-rollback', 'aws_codedeploy_deployment_group.prod'],
  ['reliability/pipeline-prod-manual-approval', 'aws_codepipeline.hasty'],
  ['reliability/pipeline-source-polling', 'aws_codepipeline.hasty'],
  ['reliability/codecommit-approval-rule-template', 'aws_codecommit_repository.lax'],
  // quota
  ['quota/role-managed-policies', 'aws_iam_role.crowded'],
  ['quota/service-quota', 'aws_codepipeline.many'],
];

/** Only in the config (a plan has no backend block). */
export const PLANTED_CONFIG_ONLY: readonly (readonly [string, string])[] = [['encryption/terraform-backend-encrypted', 'terraform.backend.s3']];

/** Well built: no high or critical finding may land here. */
export const isWellBuilt = (blockAddress: string): boolean => /^(data\.)?aws_[a-z0-9_]+\.good/.test(blockAddress);
