/**
 * ARNs: which service a Terraform resource's `arn` belongs to, and matching a literal ARN against
 * the ARN formats of the Service Authorization Reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 */

/** Terraform resource type → the service prefix(es) in the ARN its `arn` attribute holds. */
export const ARN_SERVICE_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ['s3'],
  aws_s3_object: ['s3'],
  aws_s3_access_point: ['s3'],
  aws_dynamodb_table: ['dynamodb'],
  aws_kms_key: ['kms'],
  aws_kms_alias: ['kms'],
  aws_sns_topic: ['sns'],
  aws_sqs_queue: ['sqs'],
  aws_cloudwatch_log_group: ['logs'],
  aws_cloudwatch_metric_alarm: ['cloudwatch'],
  aws_cloudwatch_event_rule: ['events'],
  aws_cloudwatch_event_bus: ['events'],
  aws_iam_role: ['iam'],
  aws_iam_user: ['iam'],
  aws_iam_group: ['iam'],
  aws_iam_policy: ['iam'],
  aws_iam_instance_profile: ['iam'],
  aws_codebuild_project: ['codebuild'],
  aws_codebuild_report_group: ['codebuild'],
  aws_codepipeline: ['codepipeline'],
  aws_codecommit_repository: ['codecommit'],
  aws_codedeploy_app: ['codedeploy'],
  aws_codedeploy_deployment_group: ['codedeploy'],
  aws_codedeploy_deployment_config: ['codedeploy'],
  aws_codestarconnections_connection: ['codestar-connections', 'codeconnections'],
  aws_codeconnections_connection: ['codeconnections', 'codestar-connections'],
  aws_codestarnotifications_notification_rule: ['codestar-notifications'],
  aws_codeartifact_domain: ['codeartifact'],
  aws_codeartifact_repository: ['codeartifact'],
  aws_lambda_function: ['lambda'],
  aws_secretsmanager_secret: ['secretsmanager'],
  aws_ssm_parameter: ['ssm'],
  aws_ecr_repository: ['ecr'],
  aws_ecs_cluster: ['ecs'],
  aws_ecs_service: ['ecs'],
  aws_ecs_task_definition: ['ecs'],
  aws_sfn_state_machine: ['states'],
  aws_kinesis_stream: ['kinesis'],
  aws_glue_job: ['glue'],
};

const REFERENCE_ARN = /^\$\{(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.arn\}/;

/** The ARN services a `${aws_x.y.arn}`-style reference (with any suffix) points into, if known. */
export function servicesOfReference(value: string): readonly string[] | undefined {
  // `test` and a slice rather than `exec`: no match array per resource of every statement.
  if (!REFERENCE_ARN.test(value)) return undefined;
  // The type runs from after `${` (or `${data.`: no type is `data`) to the first dot.
  const start = value.startsWith('${data.') ? 7 : 2;
  return ARN_SERVICE_OF_TYPE[value.slice(start, value.indexOf('.', start))];
}

const ARN = /^arn:([^:]*):([^:]*):/;

/** The service of a literal ARN (`undefined` for references, wildcards in the service, or non-ARNs). */
export function serviceOfLiteralArn(value: string): string | undefined {
  if (value.includes('${')) return undefined;
  const m = ARN.exec(value);
  if (!m || m[2].includes('*') || m[2].includes('?') || m[2] === '') return undefined;
  return m[2].toLowerCase();
}

const formatCache = new Map<string, RegExp>();

/** A lenient RegExp for an ARN format: each `${Variable}` matches anything (wildcards in the ARN included). */
export function arnFormatRegExp(format: string): RegExp {
  let re = formatCache.get(format);
  if (!re) {
    const body = format
      .split(/\$\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'is');
    formatCache.set(format, re);
  }
  return re;
}

export function serviceOfArnFormat(format: string): string | undefined {
  return /^arn:[^:]*:([^:]*):/.exec(format)?.[1]?.toLowerCase();
}
