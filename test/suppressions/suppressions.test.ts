import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../auditor/errors';
import type { Finding } from '../../auditor/report/contract';
import { applySuppressions, discoverSuppressionsFiles, loadSuppressionsFile } from '../../auditor/suppressions';
import { fakeModel, node } from '../engine/fake-model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-supp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function yml(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function finding(stack: string, resource: string, ruleId: string, detail?: string): Finding {
  return { ruleId, category: 'iam', severity: 'high', resource, stack, message: `${ruleId} on ${resource}`, remediation: 'fix it', suppressed: false, suppressionReason: null, ...(detail ? { detail } : {}) };
}

const REASON = 'the deploy role must pass itself to CodeDeploy';

describe('suppressions file', () => {
  it('reads entries keyed by stack + address, or by construct path, with detail and expiry', () => {
    const f = yml(
      'ok.yml',
      `version: 1
suppressions:
  - rule: iam/passrole-unrestricted
    stack: app
    resource: aws_iam_role.deploy
    detail: iam:PassRole
    reason: ${REASON}
    expires: 2030-01-31
  - rule: encryption/s3-bucket-sse-kms
    path: app/logs
    reason: access logs hold no customer data
`,
    );
    expect(loadSuppressionsFile(f)).toEqual([
      { ruleId: 'iam/passrole-unrestricted', stack: 'app', resource: 'aws_iam_role.deploy', detail: 'iam:PassRole', reason: REASON, expires: '2030-01-31', origin: f, entry: 1 },
      { ruleId: 'encryption/s3-bucket-sse-kms', stack: '*', constructPath: 'app/logs', reason: 'access logs hold no customer data', origin: f, entry: 2 },
    ]);
  });

  it.each([
    ['a reason under 10 characters', `suppressions:\n  - {rule: iam/x, stack: app, resource: aws_iam_role.r, reason: "too short"}\n`, /short\.yml: suppression #1 \(iam\/x on aws_iam_role\.r\): 'reason' must be at least 10 characters/],
    ['no reason', `suppressions:\n  - {rule: iam/x, stack: app, resource: aws_iam_role.r}\n`, /suppression #1 .*'reason' must be at least 10/],
    ['a bad date', `suppressions:\n  - {rule: iam/x, stack: a, resource: aws_iam_role.r, reason: "${REASON}", expires: 2025-02-30}\n`, /'expires' must be a date written YYYY-MM-DD/],
    ['no target', `suppressions:\n  - {rule: iam/x, reason: "${REASON}"}\n`, /give 'resource' \(with 'stack'\) or 'path'/],
    ['an address without a stack', `suppressions:\n  - {rule: iam/x, resource: aws_iam_role.r, reason: "${REASON}"}\n`, /'stack' is required/],
    ['an unknown key', `suppressions:\n  - {rule: iam/x, stack: a, resource: r.r, reason: "${REASON}", reasons: x}\n`, /unknown key 'reasons'/],
    ['not YAML', `suppressions: [\n`, /not valid YAML/],
    ['a list at the top', `- rule: x\n`, /expected a mapping/],
  ])('rejects %s with one line naming the file and the entry', (_what, text, re) => {
    const f = yml('short.yml', text);
    let err: unknown;
    try {
      loadSuppressionsFile(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(f);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toContain('\n');
  });

  it('names a missing file', () => {
    expect(() => loadSuppressionsFile(path.join(dir, 'nope.yml'))).toThrow(/nope\.yml: cannot read suppressions file \(ENOENT\)/);
  });

  it('is found next to the input, inside an input folder, or in the working directory', () => {
    const repo = fs.mkdtempSync(path.join(dir, 'repo-'));
    fs.mkdirSync(path.join(repo, 'cdktf.out'));
    expect(discoverSuppressionsFiles(['cdktf.out'], repo)).toEqual([]);
    fs.writeFileSync(path.join(repo, 'gantry.suppressions.yml'), 'suppressions: []\n');
    expect(discoverSuppressionsFiles(['cdktf.out'], repo)).toEqual(['gantry.suppressions.yml']);
    fs.writeFileSync(path.join(repo, 'cdktf.out', 'gantry.suppressions.yml'), 'suppressions: []\n');
    expect(discoverSuppressionsFiles(['cdktf.out'], repo)).toEqual(['cdktf.out/gantry.suppressions.yml', 'gantry.suppressions.yml']);
  });
});

describe('applySuppressions', () => {
  const role = node('app', 'aws_iam_role.deploy', { constructPath: 'app/pipeline/deploy-role' });
  const counted = node('app', 'aws_s3_bucket.b[2]');
  const coded = node('app', 'aws_sns_topic.t', {
    suppressions: [
      { ruleId: 'encryption/sns-topic-customer-key', reason: 'approval notices carry no data', origin: 'code' },
      { ruleId: 'iam/old', reason: 'was needed until the migration', expires: '2025-01-31', origin: 'code' },
    ],
  });
  const model = fakeModel([role, counted, coded]);
  const file = (over: object) => ({ ruleId: 'iam/passrole-unrestricted', stack: 'app', reason: REASON, origin: 'gantry.suppressions.yml', entry: 1, ...over });

  it('applies suppressions recorded in code, keeping the finding with its reason', () => {
    const { findings } = applySuppressions(model, [finding('app', 'aws_sns_topic.t', 'encryption/sns-topic-customer-key')], [], { today: '2025-06-01' });
    expect(findings[0]).toMatchObject({ suppressed: true, suppressionReason: 'approval notices carry no data', suppressionOrigin: 'code' });
  });

  it('stops applying an expired suppression and says so on the finding and in the notes', () => {
    const { findings, notes } = applySuppressions(model, [finding('app', 'aws_sns_topic.t', 'iam/old')], [], { today: '2025-06-01' });
    expect(findings[0]).toMatchObject({ suppressed: false, suppressionReason: null, suppressionExpired: '2025-01-31' });
    expect(findings[0].message).toMatch(/suppression expired on 2025-01-31/);
    expect(notes).toEqual([expect.stringMatching(/app\/aws_sns_topic\.t suppression #2 \(iam\/old\) expired on 2025-01-31/)]);
    // through its expiry date it still works
    expect(applySuppressions(model, [finding('app', 'aws_sns_topic.t', 'iam/old')], [], { today: '2025-01-31' }).findings[0].suppressed).toBe(true);
  });

  it('matches file entries by stack + address, covering instances of a counted block', () => {
    const f = [finding('app', 'aws_s3_bucket.b[2]', 'encryption/x'), finding('other', 'aws_s3_bucket.b[2]', 'encryption/x')];
    const { findings } = applySuppressions(model, f, [file({ ruleId: 'encryption/x', resource: 'aws_s3_bucket.b' })], { today: '2025-06-01' });
    expect(findings.map((x) => x.suppressed)).toEqual([true, false]);
    expect(findings[0].suppressionOrigin).toBe('gantry.suppressions.yml');
    // a prefix that is not the block does not match
    const g = applySuppressions(model, [finding('app', 'aws_s3_bucket.b[2]', 'encryption/x')], [file({ ruleId: 'encryption/x', resource: 'aws_s3_bucket.' })], { today: '2025-06-01' });
    expect(g.findings[0].suppressed).toBe(false);
  });

  it('matches by construct path (the path or a parent) and by detail', () => {
    const f = [finding('app', 'aws_iam_role.deploy', 'iam/passrole-unrestricted', 'iam:PassRole'), finding('app', 'aws_iam_role.deploy', 'iam/passrole-unrestricted', 's3:*')];
    const { findings } = applySuppressions(model, f, [file({ stack: '*', constructPath: 'app/pipeline', detail: 'iam:PassRole' })], { today: '2025-06-01' });
    expect(findings.map((x) => x.suppressed)).toEqual([true, false]);
  });

  it('notes entries that match nothing or name no rule', () => {
    const { notes } = applySuppressions(model, [], [file({ resource: 'aws_iam_role.gone' }), file({ ruleId: 'iam/typo', resource: 'aws_iam_role.deploy', entry: 2 })], {
      today: '2025-06-01',
      ruleIds: new Set(['iam/passrole-unrestricted']),
    });
    expect(notes).toEqual([expect.stringMatching(/#1 \(iam\/passrole-unrestricted\) matched no finding/), expect.stringMatching(/#2: no rule 'iam\/typo' exists/)]);
  });

  it('rejects a code suppression with a short reason (the input may have been edited by hand)', () => {
    const bad = node('app', 'aws_sns_topic.x', { suppressions: [{ ruleId: 'encryption/y', reason: 'short', origin: 'code' }] });
    expect(() => applySuppressions(fakeModel([bad]), [finding('app', 'aws_sns_topic.x', 'encryption/y')], [], { today: '2025-06-01' })).toThrow(UserError);
  });
});
