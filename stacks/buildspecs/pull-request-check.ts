/**
 * The pull-request check's buildspec. Generated (not a file in the repository under review) so
 * the gate cannot be weakened by the change it is checking.
 *
 * CodeCommit (`codecommit` set): the EventBridge target passes PULL_REQUEST_ID, SOURCE_COMMIT,
 * DESTINATION_COMMIT and REPOSITORY_NAME. `npm ci` installs and builds the source (the `prepare`
 * script compiles); the build phase checks the destination commit out in a git worktree, installs
 * and builds it the same way, synthesizes both, and audits the source against the destination
 * (`--compare`: new findings and the cost delta) with the destination's own, already merged
 * auditor. post_build (which CodeBuild runs even when the build phase failed) uploads the Markdown
 * report and a small result JSON under `<reportsUri>/<build uuid>/`.
 *
 * This project runs the pull request's code (lifecycle scripts, its stacks' synthesis), so it is
 * untrusted: it cannot comment or vote. The vote project (`pull-request-vote.ts`), started by the
 * check's state-change event, reads the report and votes on the build's CodeBuild status.
 *
 * Connection sources: CodeBuild reports the build status to the provider itself.
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
  /**
   * CodeCommit: compare with the destination commit and upload the Markdown report and the result
   * JSON to `<reportsUri>/<build uuid>/` for the vote project. `reportsUri` is `s3://bucket/prefix`.
   * @default - connection source: no compare, no upload
   */
  readonly codecommit?: { readonly reportsUri: string };
  /** Extra commands after the audit, in the build phase. @default - none */
  readonly postAuditCommands?: readonly string[];
}

/** Where the destination commit is checked out, next to the source. */
export const BASE_DIR = '$CODEBUILD_SRC_DIR/../gantry-destination';
export const JUNIT_FILE = 'gantry-audit.xml';
export const MARKDOWN_FILE = 'gantry-audit.md';
export const RESULT_FILE = 'gantry-result.json';
/** `$CODEBUILD_BUILD_ID` is `<project>:<uuid>`, the state-change event's build-id its ARN: both end in `:<uuid>`. */
export const BUILD_UUID_COMMAND = `sed 's/.*://'`;

function auditCommand(auditor: string, failOn: FailOn, budget: string, newOnly: boolean, compare: string): string {
  return (
    `${auditor} audit cdktf.out --offline${compare} --fail-on ${failOn}${budget}${newOnly && compare ? ' --new-only' : ''}` +
    ` --format junit --output reports/${JUNIT_FILE} --markdown-report reports/${MARKDOWN_FILE}`
  );
}

/** The result JSON: which commits this build audited, and whether its build phase passed (informational; the vote trusts CodeBuild's status). */
function resultCommand(): string {
  const js =
    'const e=process.env;require("fs").writeFileSync(process.argv[1],JSON.stringify({build:e.CODEBUILD_BUILD_ID,pullRequestId:e.PULL_REQUEST_ID,' +
    'sourceCommit:e.SOURCE_COMMIT,destinationCommit:e.DESTINATION_COMMIT,buildPhaseSucceeded:e.CODEBUILD_BUILD_SUCCEEDING==="1"})+"\\n")';
  return `node -e '${js}' reports/${RESULT_FILE}`;
}

export function pullRequestCheckBuildspec(options: PullRequestCheckBuildspecOptions): string {
  const failOn = options.failOn ?? 'high';
  const budget = options.budgetUsd !== undefined ? ` --budget ${options.budgetUsd}` : '';
  const newOnly = options.newOnly ?? false;
  const cc = options.codecommit;
  const base = `"${BASE_DIR}"`;
  const baseAuditor = `node ${base}/dist/auditor/cli/main.js`;

  // No `${` anywhere: the buildspec is a Terraform string, where `${...}` is interpolation.
  const build = cc
    ? [
        'test -n "$PULL_REQUEST_ID" && test -n "$SOURCE_COMMIT" && test -n "$DESTINATION_COMMIT" && test -n "$REPOSITORY_NAME"',
        `git cat-file -e "$DESTINATION_COMMIT^{commit}" 2>/dev/null || git fetch --no-tags origin '+refs/heads/*:refs/remotes/origin/*'`,
        `git worktree add --detach ${base} "$DESTINATION_COMMIT"`,
        // The destination with its own lockfile; `npm ci` builds it through its `prepare` script.
        `(cd ${base} && npm ci --no-audit --no-fund && node dist/main.js)`,
        'node dist/main.js',
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

  const postBuild = cc
    ? [
        'mkdir -p reports',
        resultCommand(),
        `REPORTS="${cc.reportsUri}/$(echo "$CODEBUILD_BUILD_ID" | ${BUILD_UUID_COMMAND})"`,
        `aws s3 cp reports/${RESULT_FILE} "$REPORTS/${RESULT_FILE}"`,
        `if [ -s reports/${MARKDOWN_FILE} ]; then aws s3 cp reports/${MARKDOWN_FILE} "$REPORTS/${MARKDOWN_FILE}"; fi`,
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
