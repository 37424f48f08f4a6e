import type { RuleContext } from '../../policies/context';
import { QUOTA_RULES } from '../../policies/quota';
import type { Rule } from '../../policies/rule';
import type { ResourceModel } from '../../auditor/model/types';
import { evaluateQuotas } from '../../auditor/quotas';
import { modelOf } from '../support/model';
import { fakeModel } from '../quotas/fake-model';

const ctx = (quotas: RuleContext['quotas'] = []): RuleContext => ({ iam: {} as RuleContext['iam'], quotas, today: '2026-01-01' });
const rule = (id: string): Rule => {
  const r = QUOTA_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};
const region = { provider: { aws: [{ region: 'eu-west-1' }] } };
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

async function withQuotas(model: ResourceModel) {
  const quotas = await evaluateQuotas(model, { live: false, warn: () => undefined });
  return rule('quota/service-quota').check(model, ctx(quotas));
}

describe('quota rules catalogue', () => {
  it('ids match their files and every rule is in the quota category', () => {
    expect(QUOTA_RULES.map((r) => r.id).sort()).toEqual([
      'quota/codecommit-approval-templates',
      'quota/codecommit-triggers',
      'quota/event-rule-targets',
      'quota/log-subscription-filters',
      'quota/managed-policy-size',
      'quota/pipeline-actions-per-pipeline',
      'quota/pipeline-actions-per-stage',
      'quota/pipeline-stages',
      'quota/role-inline-policy-size',
      'quota/role-managed-policies',
      'quota/role-trust-policy-size',
      'quota/service-quota',
    ]);
    for (const r of QUOTA_RULES) {
      expect(r.category).toBe('quota');
      expect(r.rationale).toMatch(/https:\/\/docs\.aws\.amazon\.com|planned/i);
    }
  });
});

describe('quota/service-quota', () => {
  it('a counted block over a default quota → high finding on that block (held-out style: 1100 rules on one bus)', async () => {
    const model = modelOf({ ...region, resource: { aws_cloudwatch_event_rule: { nightly: { count: 1100, schedule_expression: 'rate(1 day)' } } } });
    const results = await withQuotas(model);
    expect(results).toHaveLength(1);
    expect(results[0].node.address).toBe('aws_cloudwatch_event_rule.nightly');
    expect(results[0].severity).toBe('high');
    expect(results[0].message).toMatch(/1100 planned .* exceeds events quota "Number of rules" \(L-244521F2\) in eu-west-1, event bus: default: 366.7% of 300/);
  });

  it('warning → medium; runtime quotas one level lower', async () => {
    const proj = (compute: string) => ({ name: 'p', service_role: 'x', artifacts: [{ type: 'NO_ARTIFACTS' }], source: [{ type: 'NO_SOURCE', buildspec: 'x' }], environment: [{ compute_type: compute, image: 'i', type: 'LINUX_CONTAINER' }] });
    const model = modelOf({ ...region, resource: { aws_codepipeline: { p: { count: 850, name: 'p', role_arn: 'x' } }, aws_codebuild_project: { b: { ...proj('BUILD_GENERAL1_SMALL'), count: 30 } } } });
    const results = await withQuotas(model);
    const pipelines = results.find((r) => r.node.type === 'aws_codepipeline');
    expect(pipelines?.severity).toBe('medium');
    expect(pipelines?.message).toMatch(/nears codepipeline quota "Total pipelines"/);
    const builds = results.find((r) => r.node.type === 'aws_codebuild_project');
    expect(builds?.severity).toBe('medium'); // exceeded, but builds queue rather than failing the apply
    expect(builds?.message).toMatch(/queues work/);
  });

  it('compliant: within quota → no finding', async () => {
    const model = modelOf({ ...region, resource: { aws_codepipeline: { p: { count: 3, name: 'p', role_arn: 'x' } } } });
    expect(await withQuotas(model)).toEqual([]);
  });

  it('reports on the first instance, in model order, of the block that contributes most; a block not in the model is passed over', () => {
    const model = fakeModel([
      { type: 'aws_codepipeline', name: 'small', action: 'create' },
      { type: 'aws_codepipeline', name: 'big', index: 0, action: 'create' },
      { type: 'aws_codepipeline', name: 'big', index: 1, action: 'create' },
    ]);
    const row = (resources: { stack: string; address: string; type: string; count: number }[], status: 'ok' | 'warning' | 'exceeded' = 'exceeded') =>
      ({ service: 'codepipeline', quotaCode: 'L-F0E4E1A2', quotaName: 'Total pipelines', region: 'eu-west-1', limit: 2, limitSource: 'snapshot', currentUsage: null, planned: 3, utilization: 1.5, status, resources }) as RuleContext['quotas'][number];
    const counted = [
      { stack: 'plan', address: 'aws_codepipeline.small', type: 'aws_codepipeline', count: 1 },
      { stack: 'plan', address: 'aws_codepipeline.gone', type: 'aws_codepipeline', count: 5 },
      { stack: 'plan', address: 'aws_codepipeline.big', type: 'aws_codepipeline', count: 2 },
    ];
    const results = rule('quota/service-quota').check(model, ctx([row(counted), row(counted.slice(0, 1), 'ok'), row([counted[1]])]));
    expect(results.map((r) => r.node.address)).toEqual(['aws_codepipeline.big[0]']);
  });
});

describe('quota/role-managed-policies', () => {
  const roleWith = (attachments: number, extra: Record<string, unknown> = {}) =>
    modelOf({
      ...region,
      resource: {
        aws_iam_role: { build: { name: 'build', assume_role_policy: trust, ...extra } },
        aws_iam_role_policy_attachment: Object.fromEntries(
          Array.from({ length: attachments }, (_, i) => [`a${i}`, { role: '${aws_iam_role.build.name}', policy_arn: `arn:aws:iam::aws:policy/P${i}` }]),
        ),
      },
    });

  it('11 attachments → high finding on the role', () => {
    const results = rule('quota/role-managed-policies').check(roleWith(11), ctx());
    expect(results).toHaveLength(1);
    expect(results[0].node.address).toBe('aws_iam_role.build');
    expect(results[0].message).toMatch(/^11 managed policies attached .*default quota is 10 per role \(L-0DA4ABF3/);
  });

  it('10 attachments → compliant', () => {
    expect(rule('quota/role-managed-policies').check(roleWith(10), ctx())).toEqual([]);
  });

  it('counts managed_policy_arns and a counted attachment block together, and a duplicate ARN once', () => {
    const model = modelOf({
      ...region,
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust, managed_policy_arns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'] } },
        aws_iam_role_policy_attachment: {
          many: { count: 8, role: '${aws_iam_role.r.id}', policy_arn: '${aws_iam_policy.p[count.index].arn}' },
          dup: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/A' },
        },
      },
    });
    expect(rule('quota/role-managed-policies').check(model, ctx())).toEqual([]); // 2 + 8 = 10
    const more = modelOf({
      ...region,
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust, managed_policy_arns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B', 'arn:aws:iam::aws:policy/C'] } },
        aws_iam_role_policy_attachment: { many: { count: 8, role: '${aws_iam_role.r.id}', policy_arn: '${aws_iam_policy.p[count.index].arn}' } },
      },
    });
    const results = rule('quota/role-managed-policies').check(more, ctx());
    expect(results[0].message).toMatch(/^11 managed policies/);
  });

  it('the same ARN attached twelve times is one policy (compliant), though listing every attachment would exceed 10', () => {
    const model = modelOf({
      ...region,
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust } },
        aws_iam_role_policy_attachment: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i}`, { role: '${aws_iam_role.r.name}', policy_arn: 'arn:aws:iam::aws:policy/Same' }])),
      },
    });
    expect(rule('quota/role-managed-policies').check(model, ctx())).toEqual([]);
  });

  it('aws_iam_policy_attachment.roles counts, by reference or by the role\'s literal name', () => {
    const model = modelOf({
      ...region,
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust }, other: { name: 'other', assume_role_policy: trust } },
        aws_iam_policy_attachment: Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`pa${i}`, { name: `pa${i}`, roles: [i % 2 ? '${aws_iam_role.r.name}' : 'r'], policy_arn: `arn:aws:iam::aws:policy/P${i}` }]),
        ),
      },
    });
    const results = rule('quota/role-managed-policies').check(model, ctx());
    expect(results.map((r) => r.node.address)).toEqual(['aws_iam_role.r']);
    expect(results[0].message).toMatch(/^11 managed policies attached \(aws_iam_policy_attachment\.pa0, aws_iam_policy_attachment\.pa1/);
  });
});

describe('policy size rules', () => {
  const bigStatement = (n: number) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) });
  const doc = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [bigStatement(n)] }, null, 2);

  it('trust policy over 2,048 characters → finding; white space is not counted', () => {
    const principals = Array.from({ length: 120 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`);
    const long = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }] }, null, 4);
    const m = modelOf({ ...region, resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: long }, ok: { name: 'ok', assume_role_policy: trust } } } });
    const results = rule('quota/role-trust-policy-size').check(m, ctx());
    expect(results.map((r) => r.node.address)).toEqual(['aws_iam_role.r']);
    const compact = JSON.stringify(JSON.parse(long)).length;
    expect(results[0].message).toContain(`${compact} characters`);
  });

  it('inline policies are summed per role against 10,240', () => {
    const m = modelOf({
      ...region,
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust }, small: { name: 'small', assume_role_policy: trust } },
        aws_iam_role_policy: {
          a: { role: '${aws_iam_role.r.id}', policy: doc(200) },
          b: { role: '${aws_iam_role.r.id}', policy: doc(200) },
          c: { role: '${aws_iam_role.small.id}', policy: doc(200) },
        },
      },
    });
    const one = JSON.stringify(JSON.parse(doc(200))).length;
    expect(one).toBeLessThan(10240);
    expect(2 * one).toBeGreaterThan(10240);
    const results = rule('quota/role-inline-policy-size').check(m, ctx());
    expect(results.map((r) => r.node.address)).toEqual(['aws_iam_role.r']);
    expect(results[0].message).toContain(`${2 * one} characters`);
  });

  it('managed policy over 6,144 characters → finding; a computed document is not guessed', () => {
    const m = modelOf({
      ...region,
      resource: {
        aws_iam_policy: {
          big: { name: "big", policy: doc(250) },
          fine: { name: 'fine', policy: doc(10) },
          computed: { name: 'c', policy: '${data.aws_iam_policy_document.d.json}' },
        },
      },
    });
    const results = rule('quota/managed-policy-size').check(m, ctx());
    expect(results.map((r) => r.node.address)).toEqual(['aws_iam_policy.big']);
  });
});

describe('pipeline structure rules', () => {
  const action = (name: string) => ({ name, category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], configuration: { ProjectName: 'p' } });
  const pipeline = (stages: unknown[]) => modelOf({ ...region, resource: { aws_codepipeline: { p: { name: 'p', role_arn: 'x', artifact_store: [{ location: 'b', type: 'S3' }], stage: stages } } } });
  const stage = (name: string, actions: number) => ({ name, action: Array.from({ length: actions }, (_, i) => action(`a${i}`)) });

  it('stages: 51 → finding, 1 → finding, 3 → compliant', () => {
    const r = rule('quota/pipeline-stages');
    expect(r.check(pipeline(Array.from({ length: 51 }, (_, i) => stage(`s${i}`, 1))), ctx())[0].message).toMatch(/^51 stages; a pipeline may have at most 50/);
    expect(r.check(pipeline([stage('only', 1)]), ctx())[0].message).toMatch(/needs at least 2/);
    expect(r.check(pipeline([stage('a', 1), stage('b', 1), stage('c', 2)]), ctx())).toEqual([]);
  });

  it('actions per stage: 51 → finding naming the stage, 50 → compliant', () => {
    const r = rule('quota/pipeline-actions-per-stage');
    const bad = r.check(pipeline([stage('Source', 1), stage('Fanout', 51)]), ctx());
    expect(bad).toHaveLength(1);
    expect(bad[0].detail).toBe('Fanout');
    expect(r.check(pipeline([stage('Source', 1), stage('Fanout', 50)]), ctx())).toEqual([]);
  });
});

describe('quota/pipeline-actions-per-pipeline', () => {
  const action = (name: string) => ({ name, category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], configuration: { ProjectName: 'p' } });
  const stage = (name: string, actions: number) => ({ name, action: Array.from({ length: actions }, (_, i) => action(`a${i}`)) });
  const pipeline = (stages: unknown[]) => modelOf({ ...region, resource: { aws_codepipeline: { p: { name: 'p', role_arn: 'x', artifact_store: [{ location: 'b', type: 'S3' }], stage: stages } } } });

  it('11 stages of 50 actions (550, each stage within its own limit) → finding; 10 × 50 = 500 → compliant', () => {
    const r = rule('quota/pipeline-actions-per-pipeline');
    const bad = r.check(pipeline(Array.from({ length: 11 }, (_, i) => stage(`s${i}`, 50))), ctx());
    expect(bad).toHaveLength(1);
    expect(bad[0].message).toMatch(/^550 actions over 11 stages; a pipeline may have at most 500 \(L-1402209C/);
    expect(rule('quota/pipeline-actions-per-stage').check(pipeline(Array.from({ length: 11 }, (_, i) => stage(`s${i}`, 50))), ctx())).toEqual([]);
    expect(r.check(pipeline(Array.from({ length: 10 }, (_, i) => stage(`s${i}`, 50))), ctx())).toEqual([]);
  });
});

describe('quota/event-rule-targets', () => {
  const targets = (spec: Record<string, Record<string, unknown>>) =>
    modelOf({
      ...region,
      resource: {
        aws_cloudwatch_event_rule: { on_push: { name: 'on-push', event_pattern: '{}' }, other: { name: 'other', event_pattern: '{}' } },
        aws_cloudwatch_event_target: spec,
      },
    });

  it('a counted target block (×4) plus 2 more on one rule → finding naming both; targets of another rule are not added', () => {
    const model = targets({
      fan: { count: 4, rule: '${aws_cloudwatch_event_rule.on_push.name}', arn: 'arn:aws:sns:eu-west-1:111111111111:t' },
      a: { rule: 'on-push', arn: 'arn:aws:sns:eu-west-1:111111111111:a' },
      b: { rule: '${aws_cloudwatch_event_rule.on_push.name}', arn: 'arn:aws:sns:eu-west-1:111111111111:b' },
      elsewhere: { count: 5, rule: '${aws_cloudwatch_event_rule.other.name}', arn: 'arn:aws:sns:eu-west-1:111111111111:c' },
    });
    const results = rule('quota/event-rule-targets').check(model, ctx());
    expect(results).toHaveLength(1);
    expect(results[0].node.address).toBe('aws_cloudwatch_event_rule.on_push');
    expect(results[0].message).toMatch(/^6 targets \(.*aws_cloudwatch_event_target\.fan ×4.*\); a rule may have at most 5 \(fixed;/);
  });

  it('5 targets → compliant; a same-named rule on another bus does not collect them', () => {
    expect(rule('quota/event-rule-targets').check(targets({ fan: { count: 5, rule: '${aws_cloudwatch_event_rule.on_push.name}', arn: 'x' } }), ctx())).toEqual([]);
    const model = targets({
      fan: { count: 5, rule: 'on-push', arn: 'x' },
      custom: { count: 3, rule: 'on-push', event_bus_name: 'custom', arn: 'y' },
    });
    expect(rule('quota/event-rule-targets').check(model, ctx())).toEqual([]);
  });
});

describe('CodeCommit per-repository limits', () => {
  const trig = (i: number) => ({ name: `t${i}`, events: ['all'], destination_arn: `arn:aws:sns:eu-west-1:111111111111:t${i}` });

  it('triggers: 11 → finding, 10 → compliant', () => {
    const r = rule('quota/codecommit-triggers');
    const model = (n: number) => modelOf({ ...region, resource: { aws_codecommit_trigger: { t: { repository_name: 'app', trigger: Array.from({ length: n }, (_, i) => trig(i)) } } } });
    const bad = r.check(model(11), ctx());
    expect(bad.map((x) => x.node.address)).toEqual(['aws_codecommit_trigger.t']);
    expect(bad[0].message).toMatch(/^11 triggers on one repository; at most 10/);
    expect(r.check(model(10), ctx())).toEqual([]);
  });

  it('approval rule templates: 26 associations (counted block + literal name) → finding on the repository, 25 → compliant', () => {
    const r = rule('quota/codecommit-approval-templates');
    const model = (n: number) =>
      modelOf({
        ...region,
        resource: {
          aws_codecommit_repository: { app: { repository_name: 'app' }, other: { repository_name: 'other' } },
          aws_codecommit_approval_rule_template_association: {
            many: { count: n - 1, approval_rule_template_name: '${aws_codecommit_approval_rule_template.t[count.index].name}', repository_name: '${aws_codecommit_repository.app.repository_name}' },
            one: { approval_rule_template_name: 'x', repository_name: 'app' },
            unrelated: { count: 30, approval_rule_template_name: 'y', repository_name: 'other-name' },
          },
        },
      });
    const bad = r.check(model(26), ctx());
    expect(bad.map((x) => x.node.address)).toEqual(['aws_codecommit_repository.app']);
    expect(bad[0].message).toMatch(/^26 approval rule templates associated .*at most 25 per repository/);
    expect(r.check(model(25), ctx())).toEqual([]);
  });
});

describe('quota/log-subscription-filters', () => {
  const model = (n: number) =>
    modelOf({
      ...region,
      resource: {
        aws_cloudwatch_log_group: { build: { name: '/aws/codebuild/app' } },
        aws_cloudwatch_log_subscription_filter: { f: { count: n, name: 'f', log_group_name: '${aws_cloudwatch_log_group.build.name}', filter_pattern: '', destination_arn: 'x' } },
      },
    });

  it('3 filters on one log group → finding, 2 → compliant', () => {
    const r = rule('quota/log-subscription-filters');
    const bad = r.check(model(3), ctx());
    expect(bad.map((x) => x.node.address)).toEqual(['aws_cloudwatch_log_group.build']);
    expect(bad[0].message).toMatch(/^3 subscription filters .*at most 2 per log group/);
    expect(r.check(model(2), ctx())).toEqual([]);
  });
});
