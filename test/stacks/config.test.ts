/** Configuration validation: defaults, and one clear line per bad field naming it and what is allowed. */
import example from '../../gantry.config';
import { ConfigError, validateConfig } from '../../stacks/config/validate';
import { UserError } from '../../auditor/errors';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function problems(mutate: (c: any) => void): string[] {
  const c = clone(example) as any;
  mutate(c);
  try {
    validateConfig(c, 'gantry.config.ts');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toBeInstanceOf(UserError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected the configuration to be rejected');
}

describe('config validation', () => {
  test('the example config is valid', () => {
    expect(() => validateConfig(example)).not.toThrow();
  });

  test('fills the documented defaults', () => {
    const c = validateConfig({
      prefix: 'acme',
      region: 'us-east-1',
      state: { bucket: 'acme-tf-state', lockTable: 'acme-tf-locks' },
      notifications: {},
      applications: [{ name: 'shop', source: { type: 'codecommit' }, deploy: { platform: 'server' }, environments: [{ name: 'dev', server: { ec2TagFilters: [{ key: 'app', value: 'shop' }] } }] }],
    });
    const app = c.applications[0];
    expect(app.source).toMatchObject({ defaultBranch: 'main', requiredApprovals: 2 });
    expect(app.build).toMatchObject({ computeType: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:7.0', buildspec: 'buildspec.yml', cache: { type: 's3' }, reportGroup: { name: 'junit' } });
    expect(app.deploy.autoRollback).toBe(true);
    expect(app.environments[0].approval).toBe(false);
    expect(c.state.useLockfile).toBe(true);
    expect(c.accountId).toBeUndefined();
  });

  test('reports one line per bad field, naming the field and what is allowed', () => {
    const p = problems((c) => {
      c.region = 'mars-1';
      c.applications[0].build.computeType = 'HUGE';
      c.applications[1].environments[0].ecs.productionListenerArn = 'not-an-arn';
      c.notifications.alerts[0] = 'nobody';
    });
    expect(p).toHaveLength(4);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^region: must be an AWS region code such as eu-west-1 \(got "mars-1"\)$/),
        expect.stringMatching(/^applications\[0\]\.build\.computeType: must be one of "BUILD_GENERAL1_SMALL", .*"BUILD_GENERAL1_2XLARGE" \(got "HUGE"\)$/),
        expect.stringMatching(/^applications\[1\]\.environments\[0\]\.ecs\.productionListenerArn: must be an ARN/),
        expect.stringMatching(/^notifications\.alerts\[0\]: must be an e-mail address \(got "nobody"\)$/),
      ]),
    );
  });

  test('the error message names the file and lists every problem on its own line', () => {
    const c = clone(example) as any;
    c.prefix = 'Bad_Prefix';
    c.accountId = '123';
    try {
      validateConfig(c, 'my.config.ts');
      throw new Error('not rejected');
    } catch (e) {
      const lines = (e as Error).message.split('\n');
      expect(lines[0]).toBe('my.config.ts: 2 problems in the configuration:');
      expect(lines.slice(1).map((l) => l.trim())).toEqual([
        expect.stringMatching(/^prefix: must be 2 to 16 lower-case letters/),
        'accountId: must be a 12-digit AWS account id (got "123")',
      ]);
    }
  });

  test('names a missing required field', () => {
    expect(problems((c) => delete c.state.bucket)).toEqual(['state.bucket: required (string)']);
  });

  test('names a misspelt field instead of ignoring it', () => {
    expect(problems((c) => (c.applications[0].build.timeout = 10))).toEqual(['applications[0].build.timeout: unknown field (check the spelling against the config reference)']);
  });

  test('names the allowed source kinds', () => {
    expect(problems((c) => (c.applications[0].source = { type: 'svn' }))).toEqual(['applications[0].source.type: must be one of "codecommit", "connection" (got "svn")']);
  });

  test('names the allowed cache kinds and modes', () => {
    expect(problems((c) => (c.applications[1].build.cache = { type: 'local', modes: ['LOCAL_EVERYTHING'] }))).toEqual([
      expect.stringMatching(/^applications\[1\]\.build\.cache\.modes\[0\]: must be one of "LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE", "LOCAL_CUSTOM_CACHE"/),
    ]);
  });

  test('bounds numbers and says the bound', () => {
    expect(problems((c) => (c.applications[0].source.requiredApprovals = 0))).toEqual(['applications[0].source.requiredApprovals: must be ≥ 1 (got 0)']);
    expect(problems((c) => (c.applications[0].build.timeoutMinutes = 5000))).toEqual(['applications[0].build.timeoutMinutes: must be ≤ 2160 (got 5000)']);
  });

  test('requires the deploy target of the application platform in every environment', () => {
    expect(
      problems((c) => {
        delete c.applications[2].environments[1].lambda;
        c.applications[2].environments[1].server = { ec2TagFilters: [{ key: 'a', value: 'b' }] };
      }),
    ).toEqual([
      'applications[2].environments[1].lambda: required: the deploy target for platform "lambda"',
      'applications[2].environments[1].server: not allowed: deploy.platform is "lambda"',
    ]);
  });

  test('rejects duplicate application and environment names', () => {
    expect(problems((c) => (c.applications[2].name = 'web'))).toEqual(['applications[2].name: duplicate application name "web"']);
    expect(problems((c) => (c.applications[0].environments[1].name = 'dev'))).toEqual(['applications[0].environments[1].name: duplicate environment name "dev"']);
  });

  test('asks for approvers when an environment needs approval', () => {
    expect(problems((c) => (c.notifications.approvers = []))).toEqual(['notifications.approvers: needs at least one e-mail: "web", "api", "worker" have manual approvals']);
  });
});
