/**
 * The pull-request check's buildspec. Generated (not a file in the repository under review) so
 * the gate cannot be weakened by the change it is checking.
 *
 * CodeCommit (`vote: true`): the EventBridge target passes PULL_REQUEST_ID, SOURCE_COMMIT,
 * DESTINATION_COMMIT and REPOSITORY_NAME. The build phase checks the destination commit out in a
 * git worktree and synthesizes it, synthesizes the pull request's source commit, and audits the
 * source against the destination (`--compare`: new findings and the cost delta) with the
 * destination's own, already merged auditor — a pull request cannot vote for itself by editing
 * the auditor. post_build (which CodeBuild runs even when the build phase failed) posts the
 * Markdown report as a pull-request comment and approves (build phase succeeded) or revokes
 * (it failed) the pull request as the check's role, which the merge-gate approval rule requires.
 *
 * Connection sources (`vote: false`): CodeBuild reports the build status to the provider itself;
 * the audit compares against the base branch when the webhook names one.
 */
import { toYaml } from './yaml';

export type FailOn = 'critical' | 'high' | 'medium' | 'low' | 'none';

export interface PullRequestCheckBuildspecOptions {
  /** Node.js runtime version in the CodeBuild image. @default "20" */
  readonly nodeVersion?: string;
  /** Severity at which the audit fails the check. @default "high" */
  readonly failOn?: FailOn;
  /** Monthly cost budget in USD; the check fails above it. @default - no budget */
  readonly budgetUsd?: number;
  /** Fail only on findings the destination branch does not already have. @default false */
  readonly newOnly?: boolean;
  /** Report group the JUnit file is published to (its ARN, as the project knows it). */
  readonly reportGroupArn: string;
  /** CodeCommit: compare with the destination commit, post the report as a comment and approve/revoke the pull request. @default false */
  readonly vote?: boolean;
  /** Extra commands after the audit, in the build phase. @default - none */
  readonly postAuditCommands?: readonly string[];
}

/** Where the destination commit is checked out, next to the source. */
export const BASE_DIR = '$CODEBUILD_SRC_DIR/../gantry-destination';
export const JUNIT_FILE = 'gantry-audit.xml';
export const MARKDOWN_FILE = 'gantry-audit.md';
export const COMMENT_FILE = 'gantry-comment.md';
/** CodeCommit refuses comments over 10,240 characters (CommentContentSizeLimitExceededException). */
export const COMMENT_LIMIT = 10_000;

function auditCommand(auditor: string, failOn: FailOn, budget: string, newOnly: boolean, compare: string): string {
  return (
    `${auditor} audit cdktf.out --offline${compare} --fail-on ${failOn}${budget}${newOnly && compare ? ' --new-only' : ''}` +
    ` --format junit --output reports/${JUNIT_FILE} --markdown-report reports/${MARKDOWN_FILE}`
  );
}

/** A node one-liner: the Markdown report cut to CodeCommit's limit, or a note when there is none. */
function commentCommand(): string {
  const js =
    'const fs=require("fs");const [src,dst]=process.argv.slice(1);' +
    'let s=fs.existsSync(src)?fs.readFileSync(src,"utf8"):"";' +
    'if(!s.trim())s="**Gantry could not audit this pull request** (synthesis or audit failed before a report was written); see the build log.\\n";' +
    `if(s.length>${COMMENT_LIMIT})s=s.slice(0,${COMMENT_LIMIT - 120})+"\\n\\n_Truncated: the full report is in the build artifacts._\\n";` +
    'fs.writeFileSync(dst,s)';
  return `node -e '${js}' reports/${MARKDOWN_FILE} reports/${COMMENT_FILE}`;
}

export function pullRequestCheckBuildspec(options: PullRequestCheckBuildspecOptions): string {
  const failOn = options.failOn ?? 'high';
  const budget = options.budgetUsd !== undefined ? ` --budget ${options.budgetUsd}` : '';
  const newOnly = options.newOnly ?? false;
  const vote = options.vote ?? false;
  const base = `"${BASE_DIR}"`;
  const baseAuditor = `node ${base}/dist/auditor/cli/main.js`;

  const build = vote
    ? [
        'test -n "$PULL_REQUEST_ID" && test -n "$SOURCE_COMMIT" && test -n "$DESTINATION_COMMIT" && test -n "$REPOSITORY_NAME"',
        `git cat-file -e "$DESTINATION_COMMIT^{commit}" 2>/dev/null || git fetch --no-tags origin '+refs/heads/*:refs/remotes/origin/*'`,
        `git worktree add --detach ${base} "$DESTINATION_COMMIT"`,
        `ln -s "$CODEBUILD_SRC_DIR/node_modules" ${base}/node_modules`,
        // Both syntheses at once (tsc is single-threaded; build hosts have two or more vCPUs); fails if either fails.
        `(cd ${base} && npm run synth) & base_synth=$!; npm run synth; source_synth=$?; wait "$base_synth" && [ "$source_synth" = 0 ]`,
        'mkdir -p reports',
        auditCommand(baseAuditor, failOn, budget, newOnly, ` --compare ${base}/cdktf.out`),
        ...(options.postAuditCommands ?? []),
      ]
    : [
        'npm run synth',
        'mkdir -p reports',
        auditCommand('npx gantry', failOn, budget, false, ''),
        ...(options.postAuditCommands ?? []),
      ];

  const postBuild = vote
    ? [
        'mkdir -p reports',
        `read -r REVISION_ID CURRENT_SOURCE <<< "$(aws codecommit get-pull-request --pull-request-id "$PULL_REQUEST_ID" --query '[pullRequest.revisionId, pullRequest.pullRequestTargets[0].sourceCommit]' --output text)"`,
        commentCommand(),
        `aws codecommit post-comment-for-pull-request --pull-request-id "$PULL_REQUEST_ID" --repository-name "$REPOSITORY_NAME" --before-commit-id "$DESTINATION_COMMIT" --after-commit-id "$SOURCE_COMMIT" --content file://reports/${COMMENT_FILE}`,
        // A newer commit was pushed while this build ran: its own build votes on that revision.
        'if [ "$CURRENT_SOURCE" != "$SOURCE_COMMIT" ]; then VOTE=NONE; elif [ "$CODEBUILD_BUILD_SUCCEEDING" = "1" ]; then VOTE=APPROVE; else VOTE=REVOKE; fi',
        // Revoking an approval this role never gave may be refused; the build has failed anyway.
        'if [ "$VOTE" != NONE ]; then aws codecommit update-pull-request-approval-state --pull-request-id "$PULL_REQUEST_ID" --revision-id "$REVISION_ID" --approval-state "$VOTE" || [ "$VOTE" = REVOKE ]; fi',
        'echo "gantry: vote $VOTE on pull request $PULL_REQUEST_ID revision $REVISION_ID (source $SOURCE_COMMIT, now $CURRENT_SOURCE)"',
      ]
    : undefined;

  return toYaml({
    version: 0.2,
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: options.nodeVersion ?? '20' }, commands: ['npm ci --no-audit --no-fund'] },
      build: { commands: build },
      ...(postBuild ? { post_build: { commands: postBuild } } : {}),
    },
    reports: { [options.reportGroupArn]: { files: [JUNIT_FILE], 'base-directory': 'reports', 'file-format': 'JUNITXML' } },
    artifacts: { files: ['reports/**/*'] },
  });
}
