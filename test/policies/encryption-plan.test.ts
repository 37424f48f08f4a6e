/**
 * The encryption and reliability rules on a real `terraform show -json` plan: the well-built
 * delivery stack plus planted problems (one counted block), planned offline by Terraform.
 * Plans write every nested block as an array, carry known values as literals (bucket names)
 * and unknown ones as references — the rules must read both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { modelFromPlan } from '../../auditor/load';
import type { ResourceModel } from '../../auditor/model/types';
import { ENCRYPTION_RULES } from '../../policies/encryption';
import { RELIABILITY_RULES } from '../../policies/reliability';
import { offlineWorkdir, terraformReady, validateAndPlan } from '../support/terraform';
import { ACCOUNT, ctx, wellBuilt } from './encryption-fixtures';

function plantedStack(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const tf = wellBuilt();
  tf.variable.db_password.default = 'not-a-real-password';
  const r = tf.resource;
  r.aws_s3_bucket.bad = { count: 2, bucket: 'gantry-bad-artifacts-${count.index}' };
  r.aws_kms_key.bad = {
    description: 'open key',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] }),
  };
  r.aws_sns_topic.bad = { name: 'bad-topic' };
  r.aws_codebuild_project.bad = {
    name: 'bad',
    service_role: `arn:aws:iam::${ACCOUNT}:role/build`,
    artifacts: { type: 'S3', location: '${aws_s3_bucket.bad[0].bucket}', encryption_disabled: true },
    source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n' },
    environment: {
      compute_type: 'BUILD_GENERAL1_SMALL',
      image: 'aws/codebuild/standard:7.0',
      type: 'LINUX_CONTAINER',
      environment_variable: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }],
    },
  };
  r.aws_codedeploy_deployment_group.bad = { app_name: '${aws_codedeploy_app.app.name}', deployment_group_name: 'production-eu', service_role_arn: `arn:aws:iam::${ACCOUNT}:role/deploy` };
  r.aws_codepipeline.bad = {
    name: 'bad',
    role_arn: `arn:aws:iam::${ACCOUNT}:role/pipeline`,
    artifact_store: [{ location: '${aws_s3_bucket.bad[0].bucket}', type: 'S3' }],
    stage: [
      { name: 'Source', action: [{ name: 'Source', category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1', output_artifacts: ['src'], configuration: { RepositoryName: 'app', BranchName: 'main' } }] },
      {
        name: 'Deploy',
        action: [
          {
            name: 'Deploy',
            category: 'Deploy',
            owner: 'AWS',
            provider: 'CodeDeploy',
            version: '1',
            input_artifacts: ['src'],
            configuration: { ApplicationName: '${aws_codedeploy_app.app.name}', DeploymentGroupName: '${aws_codedeploy_deployment_group.bad.deployment_group_name}' },
          },
        ],
      },
    ],
  };
  return tf;
}

const ready = terraformReady('encryption and reliability rules on a real plan');

(ready ? describe : describe.skip)('encryption and reliability rules on a terraform plan', () => {
  let model: ResourceModel;
  let findings: { rule: string; address: string; severity: string; detail?: string }[];

  beforeAll(() => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-enc-plan-src-'));
    fs.writeFileSync(path.join(src, 'cdk.tf.json'), JSON.stringify(plantedStack(), null, 2));
    const dir = offlineWorkdir(src, 'enc');
    const { plan } = validateAndPlan(dir);
    model = modelFromPlan(plan, 'delivery', { file: 'plan.json' });
    findings = [...ENCRYPTION_RULES, ...RELIABILITY_RULES].flatMap((rule) =>
      rule.check(model, ctx).map((x) => ({ rule: rule.id, address: x.node.address, severity: x.severity ?? rule.severity, ...(x.detail ? { detail: x.detail } : {}) })),
    );
  }, 300000);

  const planted: [string, string, string][] = [
    ['encryption/s3-bucket-sse-kms', 'aws_s3_bucket.bad[0]', 'high'],
    ['encryption/s3-bucket-sse-kms', 'aws_s3_bucket.bad[1]', 'high'],
    ['encryption/s3-public-access-block', 'aws_s3_bucket.bad[1]', 'medium'],
    ['encryption/s3-tls-only-policy', 'aws_s3_bucket.bad[0]', 'medium'],
    ['reliability/s3-bucket-versioning', 'aws_s3_bucket.bad[0]', 'medium'],
    ['encryption/kms-key-rotation', 'aws_kms_key.bad', 'medium'],
    ['encryption/kms-key-policy-wildcard-principal', 'aws_kms_key.bad', 'critical'],
    ['encryption/sns-topic-customer-key', 'aws_sns_topic.bad', 'medium'],
    ['encryption/codebuild-encryption-disabled', 'aws_codebuild_project.bad', 'high'],
    ['encryption/codebuild-plaintext-secrets', 'aws_codebuild_project.bad', 'critical'],
    // encryption_key is not in the configuration: the plan lists it as unknown (provider-computed), the loader marks it unset.
    ['encryption/codebuild-project-encryption-key', 'aws_codebuild_project.bad', 'medium'],
    ['encryption/codepipeline-artifact-store-key', 'aws_codepipeline.bad', 'medium'],
    ['reliability/codedeploy-auto-rollback', 'aws_codedeploy_deployment_group.bad', 'high'],
    ['reliability/pipeline-prod-manual-approval', 'aws_codepipeline.bad', 'high'],
    ['reliability/pipeline-source-polling', 'aws_codepipeline.bad', 'medium'],
  ];

  test.each(planted)('finds %s on %s (%s)', (rule, address, severity) => {
    expect(findings).toContainEqual(expect.objectContaining({ rule, address, severity }));
  });

  test('no finding of any severity on the well-built resources', () => {
    const bad = /\.bad(\[|$)/;
    expect(findings.filter((f) => !bad.test(f.address))).toEqual([]);
  });

  test('the bucket name is a literal in the plan, yet the configuration resources still link to it', () => {
    const bucket = model.get('delivery', 'aws_s3_bucket.artifacts')!;
    expect(bucket.values.bucket).toBe('gantry-artifacts');
    expect(findings.filter((f) => f.address === 'aws_s3_bucket.artifacts')).toEqual([]);
  });
});

describe("Gantry's own plan fixtures (test/fixtures/plans)", () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'plans');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.plan.json')) : [];

  test('there are plan fixtures to read', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s: no critical or high encryption/reliability finding', (file) => {
    const stack = file.replace(/\.plan\.json$/, '');
    const m = modelFromPlan(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), stack, { file });
    expect(m.byType('aws_kms_key').length + m.byType('aws_s3_bucket').length).toBeGreaterThan(0);
    const high = [...ENCRYPTION_RULES, ...RELIABILITY_RULES].flatMap((rule) =>
      rule
        .check(m, ctx)
        .filter((x) => (x.severity ?? rule.severity) === 'critical' || (x.severity ?? rule.severity) === 'high')
        .map((x) => `${rule.id} ${x.node.address}: ${x.message}`),
    );
    expect(high).toEqual([]);
  });
});
