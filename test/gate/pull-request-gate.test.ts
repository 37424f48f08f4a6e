/**
 * The CodeCommit merge gate, end to end on a copy of this repository, across its two projects:
 * the generated check buildspec's commands run as written (CodeBuild phase semantics,
 * test/gate/support.ts) on a git repository whose destination commit is this checkout's HEAD;
 * then the generated vote buildspec runs in an empty directory (NO_SOURCE) with CHECK_BUILD_ID,
 * as the EventBridge target passes it, and reads the check build as `batch-get-builds` returns it
 * (status from the check run's outcome, the commit it built, the overrides it was started with).
 * A clean change → check succeeds, report uploaded, comment + APPROVE; a change attaching
 * AdministratorAccess → check fails, comment naming it + REVOKE. The check makes no CodeCommit
 * call at all.
 *
 * Only `aws` is faked (it records its calls; S3 is a directory) and `npm ci` builds without
 * reinstalling (support.ts: the tree's own `prepare` with --incremental, seeded from one build of
 * the destination commit); git worktree, both syntheses and the audit are real.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JUNIT_FILE, MARKDOWN_FILE, RESULT_FILE, pullRequestCheckBuildspec } from '../../stacks/buildspecs/pull-request-check';
import { CHECK_BUILD_QUERY, COMMENT_FILE, COMMENT_LIMIT, pullRequestVoteBuildspec } from '../../stacks/buildspecs/pull-request-vote';
import { validateBuildspec } from '../examples/support/buildspec';
import { INPUTS_HASH, fakeAws, npmCiBuilds, runBuildspec, type BuildRun } from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const ACCOUNT = '111122223333';
const REPORT_GROUP = `arn:aws:codebuild:eu-west-1:${ACCOUNT}:report-group/gantry-web-pr-check-audit`;
const BUCKET = `gantry-web-art-${ACCOUNT}`;
const REPORTS_URI = `s3://${BUCKET}/reports/gantry-web-pr-check`;
const CHECK = pullRequestCheckBuildspec({ codecommit: { reportsUri: REPORTS_URI }, reportGroupArn: REPORT_GROUP });
const VOTE = pullRequestVoteBuildspec({ checkProjectName: 'gantry-web-pr-check', repositoryName: 'gantry-web', reportsUri: REPORTS_URI });
const REVISION = 'rev-0123456789abcdef';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

interface Call {
  argv: string[];
  files: Record<string, string>;
}

let tmp: string;
let bin: string;
let seed: string;

/** This checkout's HEAD once, at load: other commits may land while the suite runs. */
const HEAD = git(ROOT, 'rev-parse', 'HEAD');

/** Every test directory sits at the same depth (tmp/<name>/<tree>), so tsbuildinfo's relative paths to node_modules match the seed's. */
function exportHead(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('bash', ['-c', `git -C ${JSON.stringify(ROOT)} archive ${HEAD} | tar -x -C ${JSON.stringify(dir)}`]);
}

/** A git repository holding this checkout's HEAD as its one commit (the pull request's destination). */
function newRepo(name: string): { repo: string; destination: string } {
  const repo = path.join(tmp, name, 'repo');
  exportHead(repo);
  git(repo, 'init', '-q', '-b', 'main');
  fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'node_modules\ncdktf.out/\ndist/\nreports/\n');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'destination');
  return { repo, destination: git(repo, 'rev-parse', 'HEAD') };
}

function commitChange(repo: string, message: string, change: () => void): string {
  git(repo, 'checkout', '-q', '-b', 'feature');
  change();
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : []);

function fakeEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    AWS_CALLS: path.join(dir, 'aws-calls.jsonl'),
    NPM_CALLS: path.join(dir, 'npm-calls.log'),
    FAKE_S3: path.join(tmp, 's3'),
    FAKE_BUILDS: path.join(tmp, 'builds'),
    FAKE_BUILD_QUERY: CHECK_BUILD_QUERY,
    FAKE_REVISION_ID: REVISION,
    GANTRY_DIST_SEED: path.join(seed, 'dist'),
  };
}

interface PullRequest {
  readonly id: string;
  readonly source: string;
  readonly destination: string;
}

/** The check project's build, started as the pull-request rule's target starts it. */
async function runCheck(repo: string, pr: PullRequest, uuid: string): Promise<{ run: BuildRun; calls: Call[]; npm: string[] }> {
  const dir = path.join(repo, '..');
  const overrides = { PULL_REQUEST_ID: pr.id, SOURCE_COMMIT: pr.source, DESTINATION_COMMIT: pr.destination, REPOSITORY_NAME: 'gantry-web' };
  const run = await runBuildspec(CHECK, repo, { ...fakeEnv(dir), ...overrides, CODEBUILD_BUILD_ID: `gantry-web-pr-check:${uuid}` }, dir);
  // What CodeBuild then knows of the build, for the vote's batch-get-builds.
  recordBuild(uuid, run.code === 0 ? 'SUCCEEDED' : 'FAILED', pr.source, overrides);
  return { run, calls: read(path.join(dir, 'aws-calls.jsonl')).map((l) => JSON.parse(l) as Call), npm: read(path.join(dir, 'npm-calls.log')) };
}

function recordBuild(uuid: string, status: string, commit: string, overrides: Record<string, string>): void {
  fs.mkdirSync(path.join(tmp, 'builds'), { recursive: true });
  const environmentVariables = Object.entries(overrides).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }));
  fs.writeFileSync(path.join(tmp, 'builds', `${uuid}.json`), JSON.stringify({ buildStatus: status, resolvedSourceVersion: commit, environment: { environmentVariables } }));
}

/** The vote project's build, started by the state-change rule's target with the check's build ARN. */
async function runVote(name: string, uuid: string, currentSource: string): Promise<{ run: BuildRun; calls: Call[] }> {
  const dir = path.join(tmp, name, 'vote');
  fs.mkdirSync(dir, { recursive: true });
  const env = { ...fakeEnv(dir), FAKE_CURRENT_SOURCE: currentSource, CHECK_BUILD_ID: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:build/gantry-web-pr-check:${uuid}` };
  const run = await runBuildspec(VOTE, dir, env, dir);
  return { run, calls: read(path.join(dir, 'aws-calls.jsonl')).map((l) => JSON.parse(l) as Call) };
}

function expectVoteCalls(calls: Call[], pr: PullRequest, uuid: string, vote: 'APPROVE' | 'REVOKE' | 'NONE'): string {
  expect(calls.map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
    'codebuild batch-get-builds',
    'codecommit get-pull-request',
    's3 cp',
    'codecommit post-comment-for-pull-request',
    ...(vote === 'NONE' ? [] : ['codecommit update-pull-request-approval-state']),
  ]);
  expect(calls[0].argv.slice(2, 4)).toEqual(['--ids', `arn:aws:codebuild:eu-west-1:${ACCOUNT}:build/gantry-web-pr-check:${uuid}`]);
  expect(calls[1].argv.slice(2, 4)).toEqual(['--pull-request-id', pr.id]);
  expect(calls[2].argv.slice(2)).toEqual([`${REPORTS_URI}/${uuid}/${MARKDOWN_FILE}`, `reports/${MARKDOWN_FILE}`]);
  expect(calls[3].argv).toEqual([
    'codecommit', 'post-comment-for-pull-request', '--pull-request-id', pr.id, '--repository-name', 'gantry-web',
    '--before-commit-id', pr.destination, '--after-commit-id', pr.source, '--content', `file://reports/${COMMENT_FILE}`,
  ]);
  if (vote !== 'NONE') {
    expect(calls[4].argv).toEqual(['codecommit', 'update-pull-request-approval-state', '--pull-request-id', pr.id, '--revision-id', REVISION, '--approval-state', vote]);
  }
  const comment = calls[3].files[`file://reports/${COMMENT_FILE}`];
  expect(comment.length).toBeGreaterThan(100);
  expect(comment.length).toBeLessThanOrEqual(10_240);
  return comment;
}

/** The check's calls: only its two uploads, under its own build's folder — no CodeCommit. */
function expectCheckUploads(calls: Call[], uuid: string): void {
  expect(calls.map((c) => c.argv)).toEqual([
    ['s3', 'cp', `reports/${RESULT_FILE}`, `${REPORTS_URI}/${uuid}/${RESULT_FILE}`],
    ['s3', 'cp', `reports/${MARKDOWN_FILE}`, `${REPORTS_URI}/${uuid}/${MARKDOWN_FILE}`],
  ]);
}

const realNpm = spawnSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-gate-'));
  bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fakeAws(bin);
  npmCiBuilds(bin, realNpm, path.join(ROOT, 'node_modules'));
  // One build of the destination commit; every `npm ci` below starts from it and recompiles what differs.
  seed = path.join(tmp, 'seed', 'repo');
  exportHead(seed);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(seed, 'node_modules'));
  execFileSync(realNpm, ['run', 'prepare', '--', '--incremental'], { cwd: seed, stdio: 'pipe' });
  fs.writeFileSync(`${seed}/dist.inputs`, execFileSync(path.join(bin, INPUTS_HASH), { cwd: seed, encoding: 'utf8' }));
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('both generated buildspecs are valid CodeBuild buildspecs; only the vote talks to CodeCommit', () => {
  const check = validateBuildspec(CHECK, 'pull-request-check');
  expect(check.problems).toEqual([]);
  const s = check.spec as any;
  expect(s.reports[REPORT_GROUP]).toEqual({ files: [JUNIT_FILE], 'base-directory': 'reports', 'file-format': 'JUNITXML' });
  expect(s.phases.build.commands.some((c: string) => / audit cdktf\.out --offline --compare "[^"]+"\/cdktf\.out --fail-on high /.test(c))).toBe(true);
  expect(CHECK).not.toMatch(/codecommit|approval/);
  const vote = validateBuildspec(VOTE, 'pull-request-vote');
  expect(vote.problems).toEqual([]);
  expect((vote.spec as any).phases.build.commands.some((c: string) => c.includes('update-pull-request-approval-state'))).toBe(true);
});

describe('check then vote, against a copy of this repository', () => {
  test.concurrent('a clean change: both commits built and synthesized, audit passes, report uploaded; the vote comments and APPROVEs', async () => {
    const { repo, destination } = newRepo('clean');
    const source = commitChange(repo, 'docs only', () => fs.appendFileSync(path.join(repo, 'README.md'), '\nA harmless change.\n'));
    const pr = { id: '42', source, destination };
    const uuid = '11111111-aaaa-4bbb-8ccc-000000000042';
    const { run, calls, npm } = await runCheck(repo, pr, uuid);
    if (run.code !== 0) throw new Error(`check failed:\n${run.log.slice(-4000)}`);
    expect(run.phases).toEqual([
      { phase: 'install', failed: false },
      { phase: 'build', failed: false },
      { phase: 'post_build', failed: false },
    ]);
    // Both trees installed and built (the README change leaves the compiler's inputs as the destination's).
    expect(npm).toEqual(['npm ci --no-audit --no-fund in repo: seed build reused', 'npm ci --no-audit --no-fund in gantry-destination: seed build reused']);
    // Both commits were synthesized: the destination in its worktree, the source in place.
    const base = path.join(repo, '..', 'gantry-destination');
    expect(fs.existsSync(path.join(base, 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(git(base, 'rev-parse', 'HEAD')).toBe(destination);
    expect(fs.readFileSync(path.join(repo, 'reports', JUNIT_FILE), 'utf8')).toMatch(/<testsuites?[\s>]/);
    expectCheckUploads(calls, uuid);
    const result = JSON.parse(fs.readFileSync(path.join(tmp, 's3', BUCKET, 'reports', 'gantry-web-pr-check', uuid, RESULT_FILE), 'utf8'));
    expect(result).toEqual({ build: `gantry-web-pr-check:${uuid}`, pullRequestId: '42', sourceCommit: source, destinationCommit: destination, buildPhaseSucceeded: true });

    const vote = await runVote('clean', uuid, source);
    if (vote.run.code !== 0) throw new Error(`vote failed:\n${vote.run.log.slice(-4000)}`);
    const comment = expectVoteCalls(vote.calls, pr, uuid, 'APPROVE');
    // The comment is the check's Markdown report, cut to CodeCommit's limit when longer.
    const markdown = fs.readFileSync(path.join(repo, 'reports', MARKDOWN_FILE), 'utf8');
    if (markdown.length <= COMMENT_LIMIT) expect(comment).toBe(markdown);
    else expect(comment).toBe(markdown.slice(0, COMMENT_LIMIT - 120) + '\n\n_Truncated: the full report is in the check build reports._\n');
    expect(comment).not.toContain('iam/aws-managed-admin-policy');

    // The pull request moved on while the check ran: no vote (the newer commit's check votes).
    const late = await runVote('clean-late', uuid, 'f'.repeat(40));
    expect(late.run.code).toBe(0);
    expectVoteCalls(late.calls, pr, uuid, 'NONE');
  }, 240_000);

  test.concurrent('a planted AdministratorAccess attachment: audit fails, report uploaded; the vote comments naming it and REVOKEs', async () => {
    const { repo, destination } = newRepo('violation');
    const source = commitChange(repo, 'plant a violation', () => {
      const file = path.join(repo, 'stacks', 'bootstrap-stack.ts');
      const text = fs.readFileSync(file, 'utf8');
      const anchor = "    new TerraformOutput(this, 'state_bucket'";
      expect(text).toContain(anchor);
      const planted =
        "    const ops = new IamRole(this, 'planted-ops', { name: 'gantry-ops', assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });\n" +
        "    new IamRolePolicyAttachment(this, 'planted-admin', { role: ops.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });\n";
      fs.writeFileSync(
        file,
        "import { IamRole } from '@cdktf/provider-aws/lib/iam-role';\nimport { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';\n" +
          text.replace(anchor, planted + anchor),
      );
    });
    const pr = { id: '43', source, destination };
    const uuid = '22222222-aaaa-4bbb-8ccc-000000000043';
    const { run, calls, npm } = await runCheck(repo, pr, uuid);
    expect(run.code).not.toBe(0);
    expect(npm).toEqual(['npm ci --no-audit --no-fund in repo: compiled', 'npm ci --no-audit --no-fund in gantry-destination: seed build reused']);
    expect(run.phases).toEqual([
      { phase: 'install', failed: false },
      { phase: 'build', failed: true },
      { phase: 'post_build', failed: false },
    ]);
    // The check failed at the audit (the planted file compiled and both syntheses succeeded), not earlier.
    expect(fs.readFileSync(path.join(repo, 'dist', 'stacks', 'bootstrap-stack.js'), 'utf8')).toContain('planted-admin');
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'reports', JUNIT_FILE), 'utf8')).toContain('iam/aws-managed-admin-policy');
    expectCheckUploads(calls, uuid);

    const vote = await runVote('violation', uuid, source);
    if (vote.run.code !== 0) throw new Error(`vote failed:\n${vote.run.log.slice(-4000)}`);
    const comment = expectVoteCalls(vote.calls, pr, uuid, 'REVOKE');
    expect(comment).toContain('iam/aws-managed-admin-policy');
  }, 240_000);
});

test('a check that never reached the audit (STOPPED, nothing uploaded): the vote says so in the comment and REVOKEs', async () => {
  const pr = { id: '44', source: 'a'.repeat(40), destination: 'b'.repeat(40) };
  const uuid = '33333333-aaaa-4bbb-8ccc-000000000044';
  recordBuild(uuid, 'STOPPED', pr.source, { PULL_REQUEST_ID: pr.id, SOURCE_COMMIT: pr.source, DESTINATION_COMMIT: pr.destination, REPOSITORY_NAME: 'gantry-web' });
  const vote = await runVote('stopped', uuid, pr.source);
  expect(vote.run.code).toBe(0);
  const comment = expectVoteCalls(vote.calls, pr, uuid, 'REVOKE');
  expect(comment).toContain('Gantry could not audit this pull request** (check build STOPPED');
});

test('the vote refuses a build id of another project, before any call', async () => {
  const dir = path.join(tmp, 'foreign');
  fs.mkdirSync(dir, { recursive: true });
  const env = { ...fakeEnv(dir), CHECK_BUILD_ID: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:build/other-project:44444444-aaaa-4bbb-8ccc-000000000045` };
  const run = await runBuildspec(VOTE, dir, env, dir);
  expect(run.code).not.toBe(0);
  expect(read(path.join(dir, 'aws-calls.jsonl'))).toEqual([]);
});
