/**
 * The merge gate's voter: a NO_SOURCE CodeBuild project with an inline, generated buildspec
 * (`buildspecs/pull-request-vote.ts`), started by an EventBridge rule on the pull-request check
 * project's final "CodeBuild Build State Change" events. It never runs the pull request's code,
 * so the only role that may approve pull requests is out of that code's reach.
 *
 * Its role may read the check's builds (status, commit, environment overrides), read the
 * reports the check uploaded, comment on and vote on pull requests of exactly its repository —
 * nothing else. The EventBridge input transformer passes only the build's id; the vote reads
 * the rest from CodeBuild (the event's environment variables are a list, which an input path
 * cannot pick by name).
 */
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { Construct } from 'constructs';
import { pullRequestVoteBuildspec } from '../buildspecs/pull-request-vote';
import type { AwsEnv } from '../lib/aws-env';
import type { EncryptionKey } from './encryption-key';
import { EventRule } from './event-rule';
import { EncryptedLogGroup } from './log-group';
import type { SecureBucket } from './secure-bucket';
import { ServiceRole } from './service-role';

export interface PullRequestVoteProps {
  readonly env: AwsEnv;
  /** `<prefix>-<app>-pr-vote` */
  readonly projectName: string;
  /** The check project whose builds this votes on. */
  readonly checkProjectName: string;
  readonly repositoryName: string;
  /** Literal ARN of the repository. */
  readonly repositoryArn: string;
  readonly encryptionKey: EncryptionKey;
  readonly artifactBucket: SecureBucket;
  /** Key prefix in the artifact bucket the check uploads its reports under (no slashes at the ends). */
  readonly reportsPrefix: string;
  /** @default "aws/codebuild/standard:7.0" */
  readonly image?: string;
}

/** The check's final states; EventBridge emits IN_PROGRESS too, which the vote ignores. */
export const FINAL_BUILD_STATES = ['SUCCEEDED', 'FAILED', 'STOPPED'] as const;

export class PullRequestVote extends Construct {
  readonly project: CodebuildProject;
  readonly role: ServiceRole;
  readonly buildspec: string;
  readonly trigger: EventRule;
  /** Literal ARN (known at plan time). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: PullRequestVoteProps) {
    super(scope, id);
    const env = props.env;
    this.arn = env.arn('codebuild', `project/${props.projectName}`);
    const checkArn = env.arn('codebuild', `project/${props.checkProjectName}`);
    this.buildspec = pullRequestVoteBuildspec({
      checkProjectName: props.checkProjectName,
      repositoryName: props.repositoryName,
      reportsUri: `s3://${props.artifactBucket.bucketName}/${props.reportsPrefix}`,
    });
    this.role = new ServiceRole(this, 'role', {
      env,
      roleName: `${props.projectName}-role`.slice(0, 64),
      description: `CodeBuild project ${props.projectName}: votes on pull requests of ${props.repositoryName}`,
      service: 'codebuild',
      sourceArns: [this.arn],
    });
    const logGroup = new EncryptedLogGroup(this, 'logs', { env, logGroupName: `/aws/codebuild/${props.projectName}`, encryptionKey: props.encryptionKey });
    this.role.grant(
      logGroup.writeStatement(),
      { Sid: 'ReadCheckBuilds', Effect: 'Allow', Action: 'codebuild:BatchGetBuilds', Resource: checkArn },
      {
        Sid: 'VoteOnPullRequests',
        Effect: 'Allow',
        Action: ['codecommit:GetPullRequest', 'codecommit:PostCommentForPullRequest', 'codecommit:UpdatePullRequestApprovalState'],
        Resource: props.repositoryArn,
      },
      { Sid: 'ReadCheckReports', Effect: 'Allow', Action: 's3:GetObject', Resource: `${props.artifactBucket.arn}/${props.reportsPrefix}/*` },
      {
        Sid: 'DecryptCheckReports',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: props.encryptionKey.arn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${env.region}.amazonaws.com` } },
      },
    );
    this.project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: `Votes on pull requests of ${props.repositoryName} from the outcome of ${props.checkProjectName}`,
      serviceRole: this.role.role.arn,
      encryptionKey: props.encryptionKey.arn,
      buildTimeout: 10,
      queuedTimeout: 60,
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: 'BUILD_GENERAL1_SMALL',
        image: props.image ?? 'aws/codebuild/standard:7.0',
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
      },
      source: { type: 'NO_SOURCE', buildspec: this.buildspec },
      artifacts: { type: 'NO_ARTIFACTS' },
      logsConfig: { cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.logGroupName }, s3Logs: { status: 'DISABLED' } },
      dependsOn: [logGroup.logGroup],
    });
    this.trigger = new EventRule(this, 'trigger', {
      env,
      ruleName: `${props.projectName}-trigger`,
      description: `Runs ${props.projectName} when a ${props.checkProjectName} build ends`,
      eventPattern: {
        source: ['aws.codebuild'],
        'detail-type': ['CodeBuild Build State Change'],
        detail: { 'build-status': [...FINAL_BUILD_STATES], 'project-name': [props.checkProjectName] },
      },
      targetArn: this.project.arn,
      targetId: 'pull-request-vote',
      roleStatements: [{ Sid: 'StartPullRequestVote', Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: this.arn }],
      inputTransformer: {
        inputPaths: { buildId: '$.detail.build-id' },
        inputTemplate: '{"environmentVariablesOverride": [{"name": "CHECK_BUILD_ID", "value": <buildId>, "type": "PLAINTEXT"}]}',
      },
    });
  }
}
