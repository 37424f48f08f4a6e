/**
 * The merge-gate vote's buildspec: inline in a NO_SOURCE project, generated here and never read
 * from a repository, and it runs no code from the pull request. It is started by the check
 * project's "CodeBuild Build State Change" event with CHECK_BUILD_ID (the event's build-id, an
 * ARN) and reads everything else from CodeBuild itself (`batch-get-builds`): the build's final
 * status, the commit it built and the environment overrides EventBridge gave it (PULL_REQUEST_ID,
 * SOURCE_COMMIT, DESTINATION_COMMIT). Nothing the check build wrote decides the vote; the
 * Markdown report it uploaded is only the comment's text.
 *
 * Vote: APPROVE when the check SUCCEEDED on the pull request's current source commit; REVOKE when
 * it FAILED or was STOPPED on that commit; no vote when the pull request has moved on (its newer
 * commit's check votes — a late REVOKE could otherwise withdraw that newer approval).
 */
import { BUILD_UUID_COMMAND, MARKDOWN_FILE } from './pull-request-check';
import { toYaml } from './yaml';

export interface PullRequestVoteBuildspecOptions {
  /** The check project whose builds this votes on. */
  readonly checkProjectName: string;
  /** The CodeCommit repository the pull requests belong to. */
  readonly repositoryName: string;
  /** Where the check uploads its reports: `s3://bucket/prefix` (a `<build uuid>/` folder each). */
  readonly reportsUri: string;
  /** @default "20" */
  readonly nodeVersion?: string;
}

export const COMMENT_FILE = 'gantry-comment.md';
/** CodeCommit refuses comments over 10,240 characters (CommentContentSizeLimitExceededException). */
export const COMMENT_LIMIT = 10_000;
/** What the vote reads from `batch-get-builds`, in this order (`--output text` prints them tab-separated). */
export const CHECK_BUILD_QUERY =
  "builds[0].[buildStatus, resolvedSourceVersion, environment.environmentVariables[?name=='PULL_REQUEST_ID'].value | [0], " +
  "environment.environmentVariables[?name=='SOURCE_COMMIT'].value | [0], environment.environmentVariables[?name=='DESTINATION_COMMIT'].value | [0]]";
export const PULL_REQUEST_QUERY = '[pullRequest.revisionId, pullRequest.pullRequestTargets[0].sourceCommit]';

/** A node one-liner: the Markdown report cut to CodeCommit's limit, or a note when there is none. */
function commentCommand(): string {
  const js =
    'const fs=require("fs");const [src,dst,status]=process.argv.slice(1);' +
    'let s=fs.existsSync(src)?fs.readFileSync(src,"utf8"):"";' +
    'if(!s.trim())s="**Gantry could not audit this pull request** (check build "+status+" before a report was written); see the check build log.\\n";' +
    `if(s.length>${COMMENT_LIMIT})s=s.slice(0,${COMMENT_LIMIT - 120})+"\\n\\n_Truncated: the full report is in the check build reports._\\n";` +
    'fs.writeFileSync(dst,s)';
  return `node -e '${js}' reports/${MARKDOWN_FILE} reports/${COMMENT_FILE} "$CHECK_STATUS"`;
}

export function pullRequestVoteBuildspec(options: PullRequestVoteBuildspecOptions): string {
  const repo = options.repositoryName;
  // No `${` anywhere: the buildspec is a Terraform string, where `${...}` is interpolation.
  const commands = [
    `[[ "$CHECK_BUILD_ID" == arn:*:codebuild:*:build/${options.checkProjectName}:* ]]`,
    `read -r CHECK_STATUS CHECK_COMMIT PULL_REQUEST_ID SOURCE_COMMIT DESTINATION_COMMIT <<< "$(aws codebuild batch-get-builds --ids "$CHECK_BUILD_ID" --query "${CHECK_BUILD_QUERY}" --output text)"`,
    'missing=0; for v in "$CHECK_STATUS" "$CHECK_COMMIT" "$PULL_REQUEST_ID" "$SOURCE_COMMIT" "$DESTINATION_COMMIT"; do { [ -n "$v" ] && [ "$v" != None ]; } || missing=1; done; [ "$missing" = 0 ]',
    `read -r REVISION_ID CURRENT_SOURCE <<< "$(aws codecommit get-pull-request --pull-request-id "$PULL_REQUEST_ID" --query '${PULL_REQUEST_QUERY}' --output text)"`,
    'mkdir -p reports',
    `aws s3 cp "${options.reportsUri}/$(echo "$CHECK_BUILD_ID" | ${BUILD_UUID_COMMAND})/${MARKDOWN_FILE}" reports/${MARKDOWN_FILE} || echo "gantry: the check build uploaded no report"`,
    commentCommand(),
    `aws codecommit post-comment-for-pull-request --pull-request-id "$PULL_REQUEST_ID" --repository-name '${repo}' --before-commit-id "$DESTINATION_COMMIT" --after-commit-id "$SOURCE_COMMIT" --content file://reports/${COMMENT_FILE}`,
    'if [ "$CURRENT_SOURCE" != "$SOURCE_COMMIT" ]; then VOTE=NONE; elif [ "$CHECK_STATUS" = SUCCEEDED ] && [ "$CHECK_COMMIT" = "$SOURCE_COMMIT" ]; then VOTE=APPROVE; else VOTE=REVOKE; fi',
    // Revoking an approval this role never gave may be refused; the pull request is unapproved either way.
    'if [ "$VOTE" != NONE ]; then aws codecommit update-pull-request-approval-state --pull-request-id "$PULL_REQUEST_ID" --revision-id "$REVISION_ID" --approval-state "$VOTE" || [ "$VOTE" = REVOKE ]; fi',
    'echo "gantry: vote $VOTE on pull request $PULL_REQUEST_ID revision $REVISION_ID (check $CHECK_STATUS on $CHECK_COMMIT, pull request now at $CURRENT_SOURCE)"',
  ];
  return toYaml({
    version: 0.2,
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: options.nodeVersion ?? '20' } },
      build: { commands },
    },
  });
}
