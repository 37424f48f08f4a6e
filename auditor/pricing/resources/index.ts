/** Every priced resource type, and the resource types that are free on purpose. */
import type { ResourcePricer } from '../types';
import { cloudwatchLogGroup } from './cloudwatch-log-group';
import { cloudwatchMetricAlarm } from './cloudwatch-metric-alarm';
import { codebuildProject } from './codebuild';
import { codecommitRepository } from './codecommit';
import { codedeployDeploymentGroup } from './codedeploy';
import { codepipeline } from './codepipeline';
import { dynamodbTable } from './dynamodb-table';
import { kmsKey } from './kms-key';
import { s3Bucket } from './s3-bucket';
import { secretsmanagerSecret } from './secretsmanager-secret';
import { snsTopic } from './sns-topic';
import { ssmParameter } from './ssm-parameter';

export const PRICERS: readonly ResourcePricer[] = [
  codebuildProject,
  codepipeline,
  codecommitRepository,
  codedeployDeploymentGroup,
  s3Bucket,
  dynamodbTable,
  kmsKey,
  cloudwatchLogGroup,
  cloudwatchMetricAlarm,
  snsTopic,
  secretsmanagerSecret,
  ssmParameter,
];

export const PRICER_BY_TYPE: ReadonlyMap<string, ResourcePricer> = new Map(PRICERS.map((p) => [p.type, p]));

const IAM = 'IAM has no charge';
const S3_CONFIG = 'bucket configuration: no charge of its own (storage and requests are priced on aws_s3_bucket)';

/** Resource types that cost nothing by themselves: priced at $0 on purpose, with the reason. */
export const FREE_TYPES: ReadonlyMap<string, string> = new Map([
  ['aws_iam_role', IAM],
  ['aws_iam_policy', IAM],
  ['aws_iam_role_policy', IAM],
  ['aws_iam_role_policy_attachment', IAM],
  ['aws_iam_policy_attachment', IAM],
  ['aws_iam_user', IAM],
  ['aws_iam_user_policy', IAM],
  ['aws_iam_user_policy_attachment', IAM],
  ['aws_iam_group', IAM],
  ['aws_iam_group_policy', IAM],
  ['aws_iam_group_policy_attachment', IAM],
  ['aws_iam_group_membership', IAM],
  ['aws_iam_instance_profile', IAM],
  ['aws_iam_openid_connect_provider', IAM],
  ['aws_iam_service_linked_role', IAM],
  ['aws_codecommit_approval_rule_template', 'CodeCommit approval rule templates have no charge'],
  ['aws_codecommit_approval_rule_template_association', 'CodeCommit approval rule templates have no charge'],
  ['aws_codecommit_trigger', 'CodeCommit triggers have no charge (the target is priced)'],
  ['aws_codedeploy_app', 'a CodeDeploy application has no charge (deployments are priced on the deployment group)'],
  ['aws_codedeploy_deployment_config', 'a CodeDeploy deployment configuration has no charge'],
  ['aws_codepipeline_webhook', 'pipeline webhooks have no charge'],
  ['aws_codestarconnections_connection', 'CodeConnections connections have no published charge (billed as source action minutes on V2 pipelines)'],
  ['aws_codestarnotifications_notification_rule', 'notification rules have no charge (the SNS topic is priced)'],
  ['aws_codebuild_source_credential', 'source credentials have no charge'],
  ['aws_codebuild_webhook', 'CodeBuild webhooks have no charge'],
  ['aws_cloudwatch_event_rule', 'EventBridge rules have no charge; AWS service events are free (custom events are billed per event, not priced here)'],
  ['aws_cloudwatch_event_target', 'EventBridge targets have no charge'],
  ['aws_cloudwatch_log_resource_policy', 'log resource policies have no charge'],
  ['aws_kms_alias', 'KMS aliases have no charge'],
  ['aws_kms_grant', 'KMS grants have no charge'],
  ['aws_sns_topic_policy', 'topic policies have no charge'],
  ['aws_sns_topic_subscription', 'deliveries are priced on the topic'],
  ['aws_secretsmanager_secret_version', 'versions are priced on the secret'],
  ['aws_secretsmanager_secret_policy', 'secret policies have no charge'],
  ['aws_secretsmanager_secret_rotation', 'rotation is not charged by Secrets Manager (the rotation Lambda is)'],
  ['aws_s3_bucket_versioning', S3_CONFIG],
  ['aws_s3_bucket_server_side_encryption_configuration', S3_CONFIG],
  ['aws_s3_bucket_public_access_block', S3_CONFIG],
  ['aws_s3_bucket_policy', S3_CONFIG],
  ['aws_s3_bucket_ownership_controls', S3_CONFIG],
  ['aws_s3_bucket_lifecycle_configuration', S3_CONFIG],
  ['aws_s3_bucket_acl', S3_CONFIG],
  ['aws_s3_bucket_logging', S3_CONFIG],
  ['aws_s3_bucket_notification', S3_CONFIG],
  ['aws_s3_bucket_cors_configuration', S3_CONFIG],
  ['aws_s3_account_public_access_block', S3_CONFIG],
  ['aws_dynamodb_table_item', 'items are priced as table storage and requests'],
  ['aws_ssm_document', 'SSM documents have no charge'],
]);
