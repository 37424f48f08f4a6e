/**
 * Terraform JSON shaped like CDKTF output (cdk.tf.json) for the encryption and reliability rule
 * tests: one well-built delivery stack, which every case copies and breaks in one place.
 */
import { ENCRYPTION_RULES } from '../../policies/encryption';
import { RELIABILITY_RULES } from '../../policies/reliability';
import type { Rule, RuleResult } from '../../policies/rule';
import { modelOf } from '../support/model';
import type { RuleContext } from '../../policies/context';

export const ACCOUNT = '123456789012';
export const STATE_KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/* eslint-disable @typescript-eslint/no-explicit-any */
export type TfJson = Record<string, any>;

const meta = (path: string): { metadata: { path: string; uniqueId: string } } => ({ metadata: { path: `delivery/${path}`, uniqueId: path.replace(/\W/g, '_') } });

/** A delivery stack with every encryption and reliability control in place. */
export function wellBuilt(): TfJson {
  return {
    '//': { metadata: { backend: 's3', stackName: 'delivery', version: '0.21.0' } },
    terraform: {
      backend: {
        s3: { bucket: 'gantry-state', key: 'delivery.tfstate', region: 'eu-west-1', encrypt: true, kms_key_id: STATE_KEY_ARN, dynamodb_table: 'gantry-locks' },
      },
      required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } },
    },
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: {
      aws_iam_policy_document: {
        tls: {
          '//': meta('artifacts/tls'),
          statement: [
            {
              sid: 'DenyInsecureTransport',
              effect: 'Deny',
              actions: ['s3:*'],
              resources: ['${aws_s3_bucket.artifacts.arn}', '${aws_s3_bucket.artifacts.arn}/*'],
              principals: [{ type: 'AWS', identifiers: ['*'] }],
              condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
            },
          ],
        },
      },
    },
    resource: {
      aws_kms_key: {
        key: {
          '//': meta('key'),
          description: 'delivery artifacts',
          enable_key_rotation: true,
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
              {
                Sid: 'ViaS3',
                Effect: 'Allow',
                Principal: { AWS: '*' },
                Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                Resource: '*',
                Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
              },
            ],
          }),
        },
      },
      aws_s3_bucket: { artifacts: { '//': meta('artifacts/bucket'), bucket: 'gantry-artifacts' } },
      aws_s3_bucket_server_side_encryption_configuration: {
        artifacts: {
          bucket: '${aws_s3_bucket.artifacts.id}',
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.key.arn}' }, bucket_key_enabled: true }],
        },
      },
      aws_s3_bucket_public_access_block: {
        artifacts: { bucket: '${aws_s3_bucket.artifacts.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
      },
      aws_s3_bucket_versioning: { artifacts: { bucket: '${aws_s3_bucket.artifacts.id}', versioning_configuration: { status: 'Enabled' } } },
      aws_s3_bucket_policy: { artifacts: { bucket: '${aws_s3_bucket.artifacts.id}', policy: '${data.aws_iam_policy_document.tls.json}' } },
      aws_cloudwatch_log_group: { build: { name: '/aws/codebuild/build', retention_in_days: 90, kms_key_id: '${aws_kms_key.key.arn}' } },
      aws_codebuild_project: {
        build: {
          '//': meta('build'),
          name: 'build',
          service_role: `arn:aws:iam::${ACCOUNT}:role/build`,
          encryption_key: '${aws_kms_key.key.arn}',
          artifacts: { type: 'CODEPIPELINE' },
          source: { type: 'CODEPIPELINE' },
          environment: {
            compute_type: 'BUILD_GENERAL1_SMALL',
            image: 'aws/codebuild/standard:7.0',
            type: 'LINUX_CONTAINER',
            environment_variable: [
              { name: 'STAGE', value: 'prod' },
              { name: 'DB_PASSWORD', value: '/gantry/db-password', type: 'PARAMETER_STORE' },
              { name: 'TOKEN_SECRET_ARN', value: '${aws_secretsmanager_secret.token.arn}' },
            ],
          },
          logs_config: { cloudwatch_logs: { group_name: '${aws_cloudwatch_log_group.build.name}' } },
        },
      },
      aws_codecommit_repository: { app: { repository_name: 'app', kms_key_id: '${aws_kms_key.key.arn}' } },
      aws_codecommit_approval_rule_template: {
        two: {
          name: 'two-approvals',
          content: JSON.stringify({ Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 2 }] }),
        },
      },
      aws_codecommit_approval_rule_template_association: {
        app: { approval_rule_template_name: '${aws_codecommit_approval_rule_template.two.name}', repository_name: '${aws_codecommit_repository.app.repository_name}' },
      },
      aws_codedeploy_app: { app: { name: 'app', compute_platform: 'Server' } },
      aws_codedeploy_deployment_group: {
        prod: {
          app_name: '${aws_codedeploy_app.app.name}',
          deployment_group_name: 'prod',
          service_role_arn: `arn:aws:iam::${ACCOUNT}:role/deploy`,
          auto_rollback_configuration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
          alarm_configuration: { alarms: ['app-5xx'], enabled: true },
        },
      },
      aws_codepipeline: {
        pipeline: {
          '//': meta('pipeline'),
          name: 'app',
          role_arn: `arn:aws:iam::${ACCOUNT}:role/pipeline`,
          artifact_store: [{ location: '${aws_s3_bucket.artifacts.bucket}', type: 'S3', encryption_key: { id: '${aws_kms_key.key.arn}', type: 'KMS' } }],
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
                  configuration: { RepositoryName: '${aws_codecommit_repository.app.repository_name}', BranchName: 'main', PollForSourceChanges: 'false' },
                },
              ],
            },
            {
              name: 'Build',
              action: [{ name: 'Build', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], output_artifacts: ['out'], configuration: { ProjectName: '${aws_codebuild_project.build.name}' } }],
            },
            { name: 'Approve', action: [{ name: 'Approve', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1', configuration: { NotificationArn: '${aws_sns_topic.approvals.arn}' } }] },
            {
              name: 'Release',
              action: [
                {
                  name: 'Deploy',
                  category: 'Deploy',
                  owner: 'AWS',
                  provider: 'CodeDeploy',
                  version: '1',
                  input_artifacts: ['out'],
                  configuration: { ApplicationName: '${aws_codedeploy_app.app.name}', DeploymentGroupName: '${aws_codedeploy_deployment_group.prod.deployment_group_name}' },
                },
              ],
            },
          ],
        },
      },
      aws_sns_topic: { approvals: { name: 'approvals', kms_master_key_id: '${aws_kms_key.key.id}' } },
      aws_dynamodb_table: {
        locks: {
          name: 'gantry-locks',
          hash_key: 'LockID',
          billing_mode: 'PAY_PER_REQUEST',
          attribute: [{ name: 'LockID', type: 'S' }],
          point_in_time_recovery: { enabled: true },
          deletion_protection_enabled: true,
          server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.key.arn}' },
        },
      },
      aws_secretsmanager_secret: { token: { name: 'gantry/token', kms_key_id: '${aws_kms_key.key.arn}' } },
      aws_ssm_parameter: { db: { name: '/gantry/db-password', type: 'SecureString', value: '${var.db_password}', key_id: '${aws_kms_key.key.arn}' } },
    },
    variable: { db_password: { type: 'string', sensitive: true } },
  };
}

/** A copy of the well-built stack with one change applied. */
export function broken(change: (tf: TfJson) => void): TfJson {
  const tf = wellBuilt();
  change(tf);
  return tf;
}

export const ctx: RuleContext = { iam: undefined as unknown as RuleContext['iam'], quotas: [], today: '2026-01-15' };

export function ruleById(id: string): Rule {
  const r = [...ENCRYPTION_RULES, ...RELIABILITY_RULES].find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}

/** Run one rule on a stack: its results, plus each result's effective severity. */
export function run(id: string, tf: TfJson): (RuleResult & { readonly sev: string; readonly address: string })[] {
  const rule = ruleById(id);
  return rule.check(modelOf(tf, 'delivery'), ctx).map((r) => ({ ...r, sev: r.severity ?? rule.severity, address: r.node.address }));
}
