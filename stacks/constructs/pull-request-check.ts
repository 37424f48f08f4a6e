/**
 * The pull-request check: a CodeBuild project that synthesizes and audits the change, started
 * for every pull request created or updated — by an EventBridge rule on the CodeCommit
 * repository's pull-request events, or by a CodeBuild webhook on connection-based sources.
 * Its buildspec comes from a generator, never from the branch under review.
 *
 * It runs the pull request's code, so its role gets no CodeCommit write or vote permission. On
 * CodeCommit a separate vote project (`PullRequestVote`) comments and approves or revokes when
 * the check ends, and the merge-gate approval rule accepts only the vote's role.
 */
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { Construct } from 'constructs';
import { pullRequestCheckBuildspec, type PullRequestCheckBuildspecOptions } from '../buildspecs/pull-request-check';
import type { AwsEnv } from '../lib/aws-env';
import { BuildProject } from './build-project';
import type { CodeCommitSource } from './codecommit-source';
import type { ConnectionSource } from './connection-source';
import type { EncryptionKey } from './encryption-key';
import { EventRule } from './event-rule';
import { MergeGateApproval } from './merge-gate-approval';
import { PullRequestVote } from './pull-request-vote';
import type { SecureBucket } from './secure-bucket';

export interface PullRequestCheckProps {
  readonly env: AwsEnv;
  readonly projectName: string;
  readonly source: CodeCommitSource | ConnectionSource;
  readonly encryptionKey: EncryptionKey;
  readonly artifactBucket: SecureBucket;
  /** @default "BUILD_GENERAL1_SMALL" */
  readonly computeType?: string;
  /** @default "aws/codebuild/standard:7.0" */
  readonly image?: string;
  /** Generates the buildspec from the report group's ARN. @default - `pullRequestCheckBuildspec` */
  readonly buildspec?: (options: PullRequestCheckBuildspecOptions) => string;
  /** Options passed to the generator besides the report group. @default - fail on high */
  readonly buildspecOptions?: Omit<PullRequestCheckBuildspecOptions, 'reportGroupArn' | 'codecommit'>;
  /** CodeCommit: the vote project's name. @default - the check's name with `-check` replaced by `-vote` */
  readonly voteProjectName?: string;
}

export const PULL_REQUEST_EVENTS = ['pullRequestCreated', 'pullRequestSourceBranchUpdated'] as const;

export class PullRequestCheck extends Construct {
  readonly build: BuildProject;
  readonly buildspec: string;
  readonly trigger?: EventRule;
  readonly webhook?: CodebuildWebhook;
  /** CodeCommit only: the project that comments and votes on the check's outcome. */
  readonly vote?: PullRequestVote;
  /** CodeCommit only: the approval rule that requires the vote's approval. */
  readonly gate?: MergeGateApproval;

  constructor(scope: Construct, id: string, props: PullRequestCheckProps) {
    super(scope, id);
    const env = props.env;
    const reportGroupArn = env.arn('codebuild', `report-group/${props.projectName}-audit`);
    const src = props.source;
    // Where the check uploads its Markdown report and result JSON (a `<build uuid>/` folder each);
    // the report group exports there too, so the check role's one PutObject grant covers both.
    const reportsPrefix = `reports/${props.projectName}`;
    this.buildspec = (props.buildspec ?? pullRequestCheckBuildspec)({
      ...(src.kind === 'codecommit' ? { codecommit: { reportsUri: `s3://${props.artifactBucket.bucketName}/${reportsPrefix}` } } : {}),
      ...props.buildspecOptions,
      reportGroupArn,
    });
    this.build = new BuildProject(this, 'project', {
      env,
      projectName: props.projectName,
      description: `Synthesizes and audits every pull request into ${src.branch}`,
      encryptionKey: props.encryptionKey,
      artifactBucket: props.artifactBucket,
      computeType: props.computeType,
      image: props.image,
      timeoutMinutes: 30,
      cache: { type: 'local', modes: ['LOCAL_SOURCE_CACHE', 'LOCAL_CUSTOM_CACHE'] },
      reportGroups: ['audit'],
      source:
        src.kind === 'codecommit'
          ? { type: 'CODECOMMIT', location: src.cloneUrlHttp, buildspec: this.buildspec, gitCloneDepth: 0 }
          : { type: src.codeBuildSourceType, location: src.cloneUrl, buildspec: this.buildspec, reportBuildStatus: true, auth: { type: 'CODECONNECTIONS', resource: src.connectionArn } },
    });
    this.build.grant(...src.buildStatements());

    if (src.kind === 'codecommit') {
      // The check runs the pull request's code: it writes reports, and votes on nothing. The vote
      // project reads the outcome from CodeBuild and is the only identity the gate accepts.
      this.vote = new PullRequestVote(this, 'vote', {
        env,
        projectName: props.voteProjectName ?? props.projectName.replace(/-check$/, '') + '-vote',
        checkProjectName: props.projectName,
        repositoryName: src.repositoryName,
        repositoryArn: src.arn,
        encryptionKey: props.encryptionKey,
        artifactBucket: props.artifactBucket,
        reportsPrefix,
        image: props.image,
      });
      this.gate = new MergeGateApproval(this, 'gate', { env, repositoryName: src.repositoryName, branch: src.branch, voteRoleName: this.vote.role.roleName, repository: src.repository });
      src.countGateApproval(this.vote.role.roleName);
      this.trigger = new EventRule(this, 'trigger', {
        env,
        ruleName: `${props.projectName}-trigger`,
        description: `Runs ${props.projectName} when a pull request on ${src.repositoryName} is created or its source branch is updated`,
        eventPattern: {
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Pull Request State Change'],
          resources: [src.arn],
          detail: { event: [...PULL_REQUEST_EVENTS], pullRequestStatus: ['Open'] },
        },
        targetArn: this.build.project.arn,
        targetId: 'pull-request-check',
        roleStatements: [{ Sid: 'StartPullRequestCheck', Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: this.build.arn }],
        inputTransformer: {
          inputPaths: {
            sourceCommit: '$.detail.sourceCommit',
            destinationCommit: '$.detail.destinationCommit',
            pullRequestId: '$.detail.pullRequestId',
            repositoryName: '$.detail.repositoryNames[0]',
          },
          inputTemplate:
            '{"sourceVersion": <sourceCommit>, "environmentVariablesOverride": [' +
            '{"name": "PULL_REQUEST_ID", "value": <pullRequestId>, "type": "PLAINTEXT"}, ' +
            '{"name": "SOURCE_COMMIT", "value": <sourceCommit>, "type": "PLAINTEXT"}, ' +
            '{"name": "DESTINATION_COMMIT", "value": <destinationCommit>, "type": "PLAINTEXT"}, ' +
            '{"name": "REPOSITORY_NAME", "value": <repositoryName>, "type": "PLAINTEXT"}]}',
        },
      });
    } else {
      this.webhook = new CodebuildWebhook(this, 'webhook', {
        projectName: this.build.project.name,
        buildType: 'BUILD',
        filterGroup: [{ filter: [{ type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' }] }],
      });
    }
  }
}
