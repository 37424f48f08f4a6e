/**
 * A CodeBuild project with its own role, encrypted with the application key (CodeBuild ignores
 * the pipeline's key otherwise), logging to its own KMS-encrypted log group with retention,
 * caching, publishing JUnit reports to its report groups, and reading exactly the Parameter
 * Store parameters and Secrets Manager secrets its environment names.
 */
import { CodebuildProject, type CodebuildProjectCache, type CodebuildProjectSource } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildReportGroup } from '@cdktf/provider-aws/lib/codebuild-report-group';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';
import { EncryptedLogGroup } from './log-group';
import type { SecureBucket } from './secure-bucket';
import { ServiceRole } from './service-role';

export type BuildEnvVarType = 'plaintext' | 'parameter-store' | 'secrets-manager';

export interface BuildEnvVar {
  readonly name: string;
  readonly type: BuildEnvVarType;
  readonly value: string;
}

export type BuildCache = { readonly type: 's3' } | { readonly type: 'local'; readonly modes: readonly string[] } | { readonly type: 'none' };

export interface BuildProjectProps {
  readonly env: AwsEnv;
  readonly projectName: string;
  readonly description: string;
  readonly encryptionKey: EncryptionKey;
  /** Bucket for the S3 cache and report exports. */
  readonly artifactBucket: SecureBucket;
  /** @default - the project's input comes from CodePipeline */
  readonly source?: CodebuildProjectSource;
  /** @default "CODEPIPELINE" when the source is CodePipeline, else "NO_ARTIFACTS" */
  readonly artifactsType?: string;
  /** @default "BUILD_GENERAL1_SMALL" */
  readonly computeType?: string;
  /** @default "aws/codebuild/standard:7.0" */
  readonly image?: string;
  /** @default 60 */
  readonly timeoutMinutes?: number;
  /** Buildspec path in the source, or inline YAML. @default "buildspec.yml" */
  readonly buildspec?: string;
  /** @default - S3 cache under `cache/<project>/` in the artifact bucket */
  readonly cache?: BuildCache;
  /** @default - none */
  readonly environmentVariables?: readonly BuildEnvVar[];
  /** Report groups (their short names) the buildspec's `reports:` section writes to. @default - none */
  readonly reportGroups?: readonly string[];
  /** @default 90 */
  readonly logRetentionDays?: number;
}

const CODEBUILD_ENV_TYPE: Record<BuildEnvVarType, string> = { plaintext: 'PLAINTEXT', 'parameter-store': 'PARAMETER_STORE', 'secrets-manager': 'SECRETS_MANAGER' };

/** The secret name (or ARN) a CodeBuild SECRETS_MANAGER value refers to: `secret-id[:json-key[:stage[:version]]]`. */
export function secretIdOf(value: string): string {
  if (value.startsWith('arn:')) return value.split(':').slice(0, 7).join(':');
  return value.split(':')[0];
}

export class BuildProject extends Construct {
  readonly project: CodebuildProject;
  readonly projectName: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly role: ServiceRole;
  readonly logGroup: EncryptedLogGroup;
  readonly reportGroups: CodebuildReportGroup[] = [];

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const env = props.env;
    this.projectName = props.projectName;
    this.arn = env.arn('codebuild', `project/${props.projectName}`);
    this.role = new ServiceRole(this, 'role', {
      env,
      roleName: `${props.projectName}-role`.slice(0, 64),
      description: `CodeBuild project ${props.projectName}`,
      service: 'codebuild',
      sourceArns: [this.arn],
    });
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      env,
      logGroupName: `/aws/codebuild/${props.projectName}`,
      encryptionKey: props.encryptionKey,
      retentionInDays: props.logRetentionDays,
    });
    this.role.grant(this.logGroup.writeStatement(), props.encryptionKey.useStatement('UseApplicationKey'));

    const cacheSpec = props.cache ?? { type: 's3' };
    let cache: CodebuildProjectCache | undefined;
    if (cacheSpec.type === 's3') {
      const prefix = `cache/${props.projectName}`;
      cache = { type: 'S3', location: `${props.artifactBucket.bucketName}/${prefix}` };
      this.role.grant(
        { Sid: 'ReadWriteBuildCache', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${props.artifactBucket.arn}/${prefix}/*` },
        { Sid: 'LocateArtifactBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketAcl'], Resource: props.artifactBucket.arn },
      );
    } else if (cacheSpec.type === 'local') {
      cache = { type: 'LOCAL', modes: [...cacheSpec.modes] };
    }

    const vars = props.environmentVariables ?? [];
    const params = vars.filter((v) => v.type === 'parameter-store').map((v) => env.arn('ssm', `parameter/${v.value.replace(/^\//, '')}`));
    if (params.length) this.role.grant({ Sid: 'ReadNamedParameters', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [...new Set(params)] });
    const secrets = vars
      .filter((v) => v.type === 'secrets-manager')
      .map((v) => {
        const idOrArn = secretIdOf(v.value);
        // Secret ARNs end in a random 6-character suffix AWS adds; `-??????` matches exactly that.
        return idOrArn.startsWith('arn:') ? idOrArn : env.arn('secretsmanager', `secret:${idOrArn}-??????`);
      });
    if (secrets.length) this.role.grant({ Sid: 'ReadNamedSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...new Set(secrets)] });

    for (const name of props.reportGroups ?? []) {
      const fullName = `${props.projectName}-${name}`;
      const prefix = `reports/${props.projectName}`;
      this.reportGroups.push(
        new CodebuildReportGroup(this, `report-${name}`, {
          name: fullName,
          type: 'TEST',
          deleteReports: true,
          exportConfig: { type: 'S3', s3Destination: { bucket: props.artifactBucket.bucketName, path: prefix, packaging: 'NONE', encryptionKey: props.encryptionKey.arn } },
        }),
      );
      this.role.grant(
        {
          Sid: 'PublishTestReports',
          Effect: 'Allow',
          Action: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages'],
          Resource: env.arn('codebuild', `report-group/${fullName}`),
        },
        { Sid: 'ExportTestReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${props.artifactBucket.arn}/${prefix}/*` },
      );
    }

    const source = props.source ?? { type: 'CODEPIPELINE', buildspec: props.buildspec ?? 'buildspec.yml' };
    this.project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: props.description,
      serviceRole: this.role.role.arn,
      encryptionKey: props.encryptionKey.arn,
      buildTimeout: props.timeoutMinutes ?? 60,
      queuedTimeout: 480,
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: props.computeType ?? 'BUILD_GENERAL1_SMALL',
        image: props.image ?? 'aws/codebuild/standard:7.0',
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
        environmentVariable: vars.map((v) => ({ name: v.name, value: v.value, type: CODEBUILD_ENV_TYPE[v.type] })),
      },
      source,
      artifacts: { type: props.artifactsType ?? (source.type === 'CODEPIPELINE' ? 'CODEPIPELINE' : 'NO_ARTIFACTS') },
      ...(cache ? { cache } : {}),
      logsConfig: { cloudwatchLogs: { status: 'ENABLED', groupName: this.logGroup.logGroupName }, s3Logs: { status: 'DISABLED' } },
      dependsOn: [this.logGroup.logGroup],
    });
  }

  /** Add statements to the project's role. */
  grant(...statements: Statement[]): void {
    this.role.grant(...statements);
  }

  /** Identity-policy statement for whoever runs this project (pipeline, EventBridge). */
  runStatement(): Statement {
    return { Sid: 'RunBuildProject', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], Resource: this.arn };
  }
}
