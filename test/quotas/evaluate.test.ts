import { evaluateQuotas } from '../../auditor/quotas';
import { verdict } from '../../auditor/quotas/verdict';
import { loadSnapshot, parseSnapshot } from '../../auditor/quotas/snapshot';
import type { QuotaRow } from '../../auditor/report/contract';
import { modelFromTerraformJson } from '../../auditor/load';
import { modelOf } from '../support/model';
import { fakeModel } from './fake-model';

const provider = (region: string) => ({ provider: { aws: [{ region }] } });

async function snapshotRows(model: Parameters<typeof evaluateQuotas>[0], extra: Partial<Parameters<typeof evaluateQuotas>[1]> = {}) {
  const warnings: string[] = [];
  const rows = await evaluateQuotas(model, { live: false, warn: (m) => warnings.push(m), ...extra });
  return { rows, warnings };
}

const find = (rows: QuotaRow[], code: string, extra: (r: QuotaRow) => boolean = () => true) => rows.filter((r) => r.quotaCode === code && extra(r));

describe('snapshot', () => {
  it('every quota carries a service code, an L- code, a positive default, an AWS source and a check date', () => {
    const snap = loadSnapshot();
    expect(snap.quotas.length).toBeGreaterThanOrEqual(15);
    for (const q of snap.quotas) {
      expect(q.quotaCode).toMatch(/^L-[0-9A-F]{8}$/);
      expect(q.source).toMatch(/^https:\/\/(docs\.)?aws\.amazon\.com\//);
      expect(q.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const ids = snap.quotas.map((q) => q.id);
    for (const id of ['codepipeline-pipelines', 'codebuild-projects', 'codebuild-concurrent-linux-small', 'codecommit-repositories', 'codedeploy-applications', 'codedeploy-deployment-groups-per-application', 'codedeploy-concurrent-deployments', 's3-general-purpose-buckets', 'dynamodb-tables', 'iam-roles', 'iam-customer-managed-policies', 'kms-customer-managed-keys', 'sns-standard-topics', 'events-rules-per-bus', 'logs-log-groups']) {
      expect(ids).toContain(id);
    }
    // current AWS defaults, not the tutorial's out-of-date ones (300 pipelines)
    expect(snap.quotas.find((q) => q.id === 'codepipeline-pipelines')?.defaultValue).toBe(1000);
    expect(snap.quotas.find((q) => q.id === 's3-general-purpose-buckets')?.defaultValue).toBe(10000);
  });

  it('every entry records what was confirmed, where and when; each default and each L- code is backed by at least one record', () => {
    const snap = loadSnapshot();
    for (const entry of [...snap.quotas, ...snap.structural]) {
      expect(entry.evidence.length).toBeGreaterThan(0);
      for (const e of entry.evidence) {
        expect(e.source).toMatch(/^https:\/\//);
        expect(e.checked).toBe('2026-11-26');
      }
      // the default value appears in an evidence claim (1,000 / 1000 / 100,000 …)
      const plain = entry.evidence.map((e) => e.claim.replace(/(\d),(?=\d{3})/g, '$1')).join(' ');
      expect(plain).toContain(String(entry.defaultValue));
      const code = entry.quotaCode;
      if (code) expect(entry.evidence.map((e) => e.claim).join(' ')).toContain(code);
    }
    // an entry only backed by third-party material says so in its note (shown with the row)
    for (const q of snap.quotas) {
      if (q.evidence.every((e) => e.kind === 'third-party')) expect(q.note).toMatch(/third-party|--live/);
    }
  });

  it('a snapshot entry without evidence, or with two entries sharing an id, is refused', () => {
    const snap = JSON.parse(JSON.stringify(loadSnapshot()));
    delete snap.quotas[0].evidence;
    expect(() => parseSnapshot(snap)).toThrow(/quotas\.0\.evidence/);
    const dup = JSON.parse(JSON.stringify(loadSnapshot()));
    dup.structural[0].id = dup.quotas[0].id;
    expect(() => parseSnapshot(dup)).toThrow(/duplicate quota id/);
  });
});

describe('CodeCommit repositories', () => {
  const repos = (n: number) => modelOf({ ...provider('eu-west-1'), resource: { aws_codecommit_repository: { r: { count: n, repository_name: 'app-${count.index}' } } } });

  it('a counted block of 1001 repositories overflows the 1,000 default: exceeded, every instance counted, with the closure note', async () => {
    const { rows } = await snapshotRows(repos(1001));
    const [row] = find(rows, 'L-81790602');
    expect(row).toMatchObject({ service: 'codecommit', quotaName: 'Allowed repositories', region: 'eu-west-1', planned: 1001, limit: 1000, limitSource: 'snapshot', currentUsage: null, status: 'exceeded', impact: 'apply' });
    expect(row.usageNote).toMatch(/no longer available to new customers/);
    expect(row.source).toBe('https://docs.aws.amazon.com/codecommit/latest/userguide/limits.html');
  });

  it('3 repositories → ok', async () => {
    const { rows } = await snapshotRows(repos(3));
    expect(find(rows, 'L-81790602')[0]).toMatchObject({ planned: 3, status: 'ok', utilization: 0.003 });
  });
});

describe('verdict', () => {
  it('ok below warnAt, warning at or above it, exceeded above 100%', () => {
    expect(verdict(10, null, 100).status).toBe('ok');
    expect(verdict(80, null, 100).status).toBe('warning');
    expect(verdict(50, 30, 100)).toEqual({ utilization: 0.8, status: 'warning' });
    expect(verdict(100, null, 100).status).toBe('warning');
    expect(verdict(101, null, 100).status).toBe('exceeded');
    expect(verdict(60, null, 100, 0.5).status).toBe('warning');
    expect(verdict(1, null, 0)).toEqual({ utilization: 1, status: 'exceeded' });
    expect(verdict(0, null, 0)).toEqual({ utilization: 0, status: 'ok' });
  });
});

describe('counting from configurations', () => {
  it('counts every instance of a counted block that overflows the default (1200 pipelines > 1000)', async () => {
    const model = modelOf({ ...provider('eu-west-1'), resource: { aws_codepipeline: { p: { count: 1200, name: 'p-${count.index}', role_arn: 'x', artifact_store: [], stage: [] } } } });
    const { rows } = await snapshotRows(model);
    const [row] = find(rows, 'L-78D200AD');
    expect(row).toMatchObject({ service: 'codepipeline', region: 'eu-west-1', planned: 1200, limit: 1000, limitSource: 'snapshot', currentUsage: null, status: 'exceeded', utilization: 1.2 });
    expect(row.resources).toEqual([{ stack: 'test', address: 'aws_codepipeline.p', type: 'aws_codepipeline', count: 1200 }]);
    expect(rows[0]).toBe(row); // sorted by utilization
  });

  it('honours for_each and adds up every stack in the same account and region', async () => {
    const model = modelFromTerraformJson({
      a: { ...provider('us-west-2'), resource: { aws_dynamodb_table: { t: { for_each: { x: 1, y: 2, z: 3 }, name: 't' } } } },
      b: { ...provider('us-west-2'), resource: { aws_dynamodb_table: { u: { name: 'u' } } } },
      c: { ...provider('eu-central-1'), resource: { aws_dynamodb_table: { v: { name: 'v' } } } },
    });
    const { rows } = await snapshotRows(model);
    const tables = find(rows, 'L-F98FE922');
    expect(tables.map((r) => [r.region, r.planned]).sort()).toEqual([
      ['eu-central-1', 1],
      ['us-west-2', 4],
    ]);
  });

  it('IAM roles are global: stacks in different regions share one row', async () => {
    const model = modelFromTerraformJson({
      a: { ...provider('us-west-2'), resource: { aws_iam_role: { r: { count: 600, assume_role_policy: '{}' } } } },
      b: { ...provider('eu-west-1'), resource: { aws_iam_role: { s: { count: 500, assume_role_policy: '{}' } } } },
    });
    const { rows } = await snapshotRows(model);
    const roles = find(rows, 'L-FE177D64');
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ region: 'global', scope: 'global', planned: 1100, limit: 1000, status: 'exceeded' });
  });

  it('uses --region, else us-east-1, for stacks without a literal region, and says so', async () => {
    const tf = { resource: { aws_sns_topic: { t: { count: 2 } } } };
    let r = await snapshotRows(modelOf(tf));
    expect(find(r.rows, 'L-61103206')[0].region).toBe('us-east-1');
    expect(r.warnings.join('\n')).toMatch(/us-east-1, the default/);
    r = await snapshotRows(modelOf(tf), { region: 'ap-southeast-2' });
    expect(find(r.rows, 'L-61103206')[0].region).toBe('ap-southeast-2');
    expect(r.warnings.join('\n')).toMatch(/ap-southeast-2, from --region/);
  });

  it('FIFO topics do not count towards the standard topic quota', async () => {
    const { rows } = await snapshotRows(modelOf({ ...provider('eu-west-1'), resource: { aws_sns_topic: { std: { count: 3 }, fifo: { count: 2, fifo_topic: true, name: 'x.fifo' } } } }));
    expect(find(rows, 'L-61103206')[0].planned).toBe(3);
  });

  it('groups deployment groups per application (references resolved to the planned name) and event rules per bus (default bus when unset)', async () => {
    const model = modelOf({
      ...provider('eu-west-1'),
      resource: {
        aws_codedeploy_app: { a: { name: 'a' }, b: { name: 'b' } },
        aws_codedeploy_deployment_group: {
          ga: { count: 1001, app_name: '${aws_codedeploy_app.a.name}', deployment_group_name: 'g', service_role_arn: 'x' },
          gb: { app_name: '${aws_codedeploy_app.b.name}', deployment_group_name: 'g', service_role_arn: 'x' },
          // a literal name and a reference to the same application land in one group
          gc: { app_name: 'a', deployment_group_name: 'h', service_role_arn: 'x' },
        },
        aws_cloudwatch_event_rule: { r: { count: 1100, event_pattern: '{}' }, s: { count: 2, event_bus_name: 'custom', event_pattern: '{}' } },
      },
    });
    const { rows } = await snapshotRows(model);
    const groups = find(rows, 'L-D9088B77');
    expect(groups.map((g) => [g.group, g.planned, g.status]).sort()).toEqual([
      ['application: a', 1002, 'exceeded'],
      ['application: b', 1, 'ok'],
    ]);
    // concurrent deployments: every group may deploy at once
    expect(find(rows, 'L-AB125F0B')[0]).toMatchObject({ planned: 1003, limit: 1300, impact: 'runtime' });
    const rules = find(rows, 'L-244521F2');
    expect(rules.map((g) => [g.group, g.planned, g.limit, g.status]).sort()).toEqual([
      ['event bus: custom', 2, 300, 'ok'],
      ['event bus: default', 1100, 300, 'exceeded'],
    ]);
  });

  it('lists each parent\'s resources once, however its nodes name the parent (literal first, reference, literal again)', async () => {
    const model = modelOf({
      ...provider('eu-west-1'),
      resource: {
        aws_codedeploy_app: { a: { name: 'a' } },
        aws_codedeploy_deployment_group: {
          g1: { count: 2, app_name: 'a', deployment_group_name: 'g1', service_role_arn: 'x' },
          g2: { app_name: '${aws_codedeploy_app.a.name}', deployment_group_name: 'g2', service_role_arn: 'x' },
          g3: { app_name: 'a', deployment_group_name: 'g3', service_role_arn: 'x' },
          g4: { app_name: '${aws_codedeploy_app.a.id}', deployment_group_name: 'g4', service_role_arn: 'x' },
        },
      },
    });
    const { rows } = await snapshotRows(model);
    const groups = find(rows, 'L-D9088B77');
    expect(groups.map((g) => [g.group, g.planned, (g.resources ?? []).map((r) => `${r.address} ${r.count}`)])).toEqual([
      ['application: a', 4, ['aws_codedeploy_deployment_group.g1 2', 'aws_codedeploy_deployment_group.g2 1', 'aws_codedeploy_deployment_group.g3 1']],
      ['application: ${aws_codedeploy_app.a.id}', 1, ['aws_codedeploy_deployment_group.g4 1']],
    ]);
  });

  it('applies regional defaults (100 rules per bus in af-south-1)', async () => {
    const { rows } = await snapshotRows(modelOf({ ...provider('af-south-1'), resource: { aws_cloudwatch_event_rule: { r: { count: 90, event_pattern: '{}' } } } }));
    expect(find(rows, 'L-244521F2')[0]).toMatchObject({ limit: 100, status: 'warning' });
  });

  it('counts CodeBuild concurrency per compute type', async () => {
    const project = (compute: string, type = 'LINUX_CONTAINER') => ({ name: 'p', service_role: 'x', artifacts: [{ type: 'NO_ARTIFACTS' }], source: [{ type: 'NO_SOURCE', buildspec: 'x' }], environment: [{ compute_type: compute, image: 'i', type }] });
    const model = modelOf({
      ...provider('eu-west-1'),
      resource: { aws_codebuild_project: { s1: { ...project('BUILD_GENERAL1_SMALL'), count: 25 }, m1: project('BUILD_GENERAL1_MEDIUM'), a1: project('BUILD_GENERAL1_LARGE', 'ARM_CONTAINER') } },
    });
    const { rows } = await snapshotRows(model);
    expect(find(rows, 'L-ACCF6C0D')[0].planned).toBe(27);
    expect(find(rows, 'L-9D07B6EF')[0]).toMatchObject({ planned: 25, limit: 20, status: 'exceeded', impact: 'runtime' });
    expect(find(rows, 'L-2DC20C30')[0]).toMatchObject({ planned: 1, status: 'ok' });
    expect(find(rows, 'L-596BEAB4')[0]).toMatchObject({ planned: 1, limit: 1, status: 'warning' });
    expect(find(rows, 'L-4DDC4A99')).toHaveLength(0); // no Linux/Large project
  });

  it('warns when a counted block has a count it cannot evaluate', async () => {
    const { rows, warnings } = await snapshotRows(modelOf({ ...provider('eu-west-1'), resource: { aws_s3_bucket: { b: { count: '${var.n}' } } } }));
    expect(find(rows, 'L-DC2B2D3D')[0]).toMatchObject({ planned: 1, region: 'global', scope: 'account' });
    expect(warnings.join('\n')).toMatch(/aws_s3_bucket\.b.*counted as 1/);
  });

  it('no rows when nothing counts towards a quota', async () => {
    const { rows } = await snapshotRows(modelOf({ ...provider('eu-west-1'), resource: { aws_ssm_parameter: { p: { name: 'x', type: 'String', value: 'v' } } } }));
    expect(rows).toEqual([]);
  });
});

describe('counting from plans', () => {
  it('only creations (and the create half of replacements) add; updates and no-ops are already in current usage', async () => {
    const model = fakeModel([
      ...Array.from({ length: 5 }, (_, i) => ({ type: 'aws_codepipeline', name: 'p', index: i, action: 'create' as const })),
      { type: 'aws_codepipeline', name: 'q', action: 'replace' },
      { type: 'aws_codepipeline', name: 'u', action: 'update' },
      { type: 'aws_codepipeline', name: 'n', action: 'no-op' },
      { type: 'aws_codepipeline', name: 'd', action: 'delete' },
    ]);
    const { rows } = await snapshotRows(model);
    const [row] = find(rows, 'L-78D200AD');
    expect(row.planned).toBe(6);
    expect(row.region).toBe('eu-west-1');
    expect(row.usageNote).toMatch(/2 planned instance\(s\) already exist/);
    expect(row.resources).toEqual([
      { stack: 'plan', address: 'aws_codepipeline.p', type: 'aws_codepipeline', count: 5 },
      { stack: 'plan', address: 'aws_codepipeline.q', type: 'aws_codepipeline', count: 1 },
    ]);
  });

  it('groups by account: two accounts never share a quota', async () => {
    const model = fakeModel(
      [
        { stack: 'a', type: 'aws_iam_role', name: 'r', count: 3 },
        { stack: 'b', type: 'aws_iam_role', name: 'r', count: 4 },
      ],
      [
        { name: 'a', file: 'a.json', kind: 'config', region: 'eu-west-1', accountId: '111111111111' },
        { name: 'b', file: 'b.json', kind: 'config', region: 'eu-west-1', accountId: '222222222222' },
      ],
    );
    const { rows } = await snapshotRows(model);
    expect(find(rows, 'L-FE177D64').map((r) => [r.accountId, r.planned]).sort()).toEqual([
      ['111111111111', 3],
      ['222222222222', 4],
    ]);
  });
});
