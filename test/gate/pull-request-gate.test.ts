/**
 * The CodeCommit merge gate, end to end on a copy of this repository: the generated pull-request
 * check buildspec's commands run as written (CodeBuild phase semantics, test/gate/support.ts)
 * on a git repository whose destination commit is this checkout's HEAD (committed afresh), once for a clean change
 * (audit passes → comment + APPROVE, build succeeds) and once for a change that attaches
 * AdministratorAccess to a role (audit fails → comment naming it + REVOKE, build fails).
 * Only `aws` is faked (it records its calls) and `npm ci` is skipped (node_modules is this
 * checkout's, linked in); synthesis, `git worktree`, and the audit are real.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMENT_FILE, JUNIT_FILE, pullRequestCheckBuildspec } from '../../stacks/buildspecs/pull-request-check';
import { validateBuildspec } from '../examples/support/buildspec';
import { fakeAws, npmSkippingCi, runBuildspec, type BuildRun } from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const REPORT_GROUP = 'arn:aws:codebuild:eu-west-1:111122223333:report-group/gantry-web-pr-check-audit';
const BUILDSPEC = pullRequestCheckBuildspec({ vote: true, reportGroupArn: REPORT_GROUP });

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

interface Call {
  argv: string[];
  files: Record<string, string>;
}

let tmp: string;
let bin: string;

/** A git repository holding this checkout's HEAD as its one commit (the pull request's destination). */
function newRepo(name: string): { repo: string; destination: string } {
  const repo = path.join(tmp, name, 'repo');
  fs.mkdirSync(repo, { recursive: true });
  execFileSync('bash', ['-c', `git -C ${JSON.stringify(ROOT)} archive HEAD | tar -x -C ${JSON.stringify(repo)}`]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
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

async function runCheck(repo: string, destination: string, source: string): Promise<{ run: BuildRun; calls: Call[]; npm: string[] }> {
  const calls = path.join(repo, '..', 'aws-calls.jsonl');
  const npm = path.join(repo, '..', 'npm-calls.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    AWS_CALLS: calls,
    NPM_CALLS: npm,
    PULL_REQUEST_ID: '42',
    SOURCE_COMMIT: source,
    DESTINATION_COMMIT: destination,
    REPOSITORY_NAME: 'gantry-web',
    FAKE_REVISION_ID: 'rev-0123456789abcdef',
    FAKE_CURRENT_SOURCE: source,
  };
  const run = await runBuildspec(BUILDSPEC, repo, env, path.join(repo, '..'));
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { run, calls: read(calls).map((l) => JSON.parse(l) as Call), npm: read(npm) };
}

function expectCalls(calls: Call[], destination: string, source: string, vote: 'APPROVE' | 'REVOKE'): string {
  expect(calls.map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
    'codecommit get-pull-request',
    'codecommit post-comment-for-pull-request',
    'codecommit update-pull-request-approval-state',
  ]);
  expect(calls[0].argv).toEqual([
    'codecommit', 'get-pull-request', '--pull-request-id', '42',
    '--query', '[pullRequest.revisionId, pullRequest.pullRequestTargets[0].sourceCommit]', '--output', 'text',
  ]);
  expect(calls[1].argv).toEqual([
    'codecommit', 'post-comment-for-pull-request', '--pull-request-id', '42', '--repository-name', 'gantry-web',
    '--before-commit-id', destination, '--after-commit-id', source, '--content', `file://reports/${COMMENT_FILE}`,
  ]);
  expect(calls[2].argv).toEqual([
    'codecommit', 'update-pull-request-approval-state', '--pull-request-id', '42', '--revision-id', 'rev-0123456789abcdef', '--approval-state', vote,
  ]);
  const comment = calls[1].files[`file://reports/${COMMENT_FILE}`];
  expect(comment.length).toBeGreaterThan(100);
  expect(comment.length).toBeLessThanOrEqual(10_240);
  return comment;
}

const realNpm = spawnSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-gate-'));
  bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fakeAws(bin);
  npmSkippingCi(bin, realNpm);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the generated buildspec is a valid CodeBuild buildspec that votes in post_build', () => {
  const { spec, problems } = validateBuildspec(BUILDSPEC, 'pull-request-check');
  expect(problems).toEqual([]);
  const s = spec as any;
  expect(s.reports[REPORT_GROUP]).toEqual({ files: [JUNIT_FILE], 'base-directory': 'reports', 'file-format': 'JUNITXML' });
  expect(s.phases.post_build.commands.some((c: string) => c.includes('update-pull-request-approval-state'))).toBe(true);
  expect(s.phases.build.commands.some((c: string) => / audit cdktf\.out --offline --compare "[^"]+"\/cdktf\.out --fail-on high /.test(c))).toBe(true);
});

describe('pull-request check run against a copy of this repository', () => {
  test.concurrent('a clean change: synth of both commits, audit passes, comment posted, APPROVE, build succeeds', async () => {
    const { repo, destination } = newRepo('clean');
    const source = commitChange(repo, 'docs only', () => fs.appendFileSync(path.join(repo, 'README.md'), '\nA harmless change.\n'));
    const { run, calls, npm } = await runCheck(repo, destination, source);
    if (run.code !== 0) throw new Error(`build failed:\n${run.log.slice(-4000)}`);
    expect(run.phases).toEqual([
      { phase: 'install', failed: false },
      { phase: 'build', failed: false },
      { phase: 'post_build', failed: false },
    ]);
    expect(npm).toEqual(['npm ci --no-audit --no-fund']);
    // Both commits were synthesized: the destination in its worktree, the source in place.
    expect(fs.existsSync(path.join(repo, '..', 'gantry-destination', 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(git(path.join(repo, '..', 'gantry-destination'), 'rev-parse', 'HEAD')).toBe(destination);
    const junit = fs.readFileSync(path.join(repo, 'reports', JUNIT_FILE), 'utf8');
    expect(junit).toMatch(/<testsuites?[\s>]/);
    const comment = expectCalls(calls, destination, source, 'APPROVE');
    expect(comment).not.toContain('iam/aws-managed-admin-policy');
  }, 300_000);

  test.concurrent('a planted AdministratorAccess attachment: audit fails, comment names it, REVOKE, build fails', async () => {
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
    const { run, calls } = await runCheck(repo, destination, source);
    expect(run.code).not.toBe(0);
    expect(run.phases).toEqual([
      { phase: 'install', failed: false },
      { phase: 'build', failed: true },
      { phase: 'post_build', failed: false },
    ]);
    // The build failed at the audit (both syntheses succeeded), not earlier.
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'manifest.json'))).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'reports', JUNIT_FILE), 'utf8')).toContain('iam/aws-managed-admin-policy');
    const comment = expectCalls(calls, destination, source, 'REVOKE');
    expect(comment).toContain('iam/aws-managed-admin-policy');
  }, 300_000);
});
