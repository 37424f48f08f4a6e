import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../auditor/errors';
import { loadUsage, parseUsage, usageFor, wildcardOf } from '../../auditor/pricing/usage';

const node = (address: string, type = address.split('.')[0], stack = 'app') => ({ address, type, stack });

describe('infracost usage files', () => {
  const u = parseUsage(
    [
      'version: 0.1',
      'resource_type_default_usage:',
      '  aws_codebuild_project:',
      '    monthly_build_mins: 7',
      'resource_usage:',
      '  aws_codebuild_project.a:',
      '    monthly_build_mins: 100',
      '  prod/aws_codebuild_project.a:',
      '    monthly_build_mins: 200',
      '  aws_codebuild_project.many[*]:',
      '    monthly_build_mins: 300',
      '  aws_codebuild_project.many[2]:',
      '    monthly_build_mins: 400',
      '  aws_s3_bucket.b:',
      '    standard:',
      '      storage_gb: 12.5',
      '      monthly_tier_1_requests: "1000"',
      '  aws_kms_key.k:',
      '    monthly_requests:   # left empty, as infracost writes unset keys',
    ].join('\n'),
    'u.yml',
  );

  it('uses the address, then the stack-prefixed address first', () => {
    expect(usageFor(u, node('aws_codebuild_project.a')).get('monthly_build_mins')).toBe(100);
    expect(usageFor(u, node('aws_codebuild_project.a', 'aws_codebuild_project', 'prod')).get('monthly_build_mins')).toBe(200);
  });

  it('matches [*] wildcards, exact instances first', () => {
    expect(usageFor(u, node('aws_codebuild_project.many[0]')).get('monthly_build_mins')).toBe(300);
    expect(usageFor(u, node('aws_codebuild_project.many["k"]')).get('monthly_build_mins')).toBe(300);
    expect(usageFor(u, node('aws_codebuild_project.many[2]')).get('monthly_build_mins')).toBe(400);
    // a config block with count: [*] covers all its instances
    expect(usageFor(u, node('aws_codebuild_project.many')).get('monthly_build_mins')).toBe(300);
    expect(wildcardOf('module.m["x"].aws_s3_bucket.b[3]')).toBe('module.m[*].aws_s3_bucket.b[*]');
  });

  it('falls back to resource_type_default_usage, then to nothing', () => {
    expect(usageFor(u, node('aws_codebuild_project.other')).get('monthly_build_mins')).toBe(7);
    expect(usageFor(u, node('aws_s3_bucket.other')).get('standard.storage_gb')).toBeUndefined();
    expect(usageFor(undefined, node('aws_s3_bucket.b')).get('standard.storage_gb')).toBeUndefined();
  });

  it('flattens nested keys and accepts numeric strings; empty keys are unset', () => {
    const b = usageFor(u, node('aws_s3_bucket.b'));
    expect(b.get('standard.storage_gb')).toBe(12.5);
    expect(b.get('standard.monthly_tier_1_requests')).toBe(1000);
    expect(usageFor(u, node('aws_kms_key.k')).get('monthly_requests')).toBeUndefined();
  });

  it.each([
    ['resource_usage: {}', /missing "version: 0.1"/],
    ['version: 0.2\nresource_usage: {}', /unsupported usage file version 0\.2/],
    ['version: 0.1\nresource_usage:\n  aws_x.y:\n    monthly_build_mins: lots', /resource_usage\.aws_x\.y\.monthly_build_mins: expected a number, got "lots"/],
    ['version: 0.1\nresource_usage:\n  aws_x.y:\n    monthly_build_mins: -5', /must not be negative/],
    ['version: 0.1\nresource_usage: [1, 2]', /resource_usage: expected a map/],
    ['version: 0.1\nresources: {}', /unknown top-level key "resources"/],
    ['version: 0.1\nresource_usage:\n  aws_x.y: [1]', /resource_usage\.aws_x\.y: expected a map of usage keys, got a list/],
    ['- just\n- a list', /not a usage file/],
    ['root:x:0:0:root:/root:/bin/bash', /not a usage file: expected a map with version: 0\.1, got plain text$/],
    ['version: 0.1\n  bad: [indent', /not valid YAML/],
  ])('rejects %j with one line naming the file', (text, problem) => {
    let err: unknown;
    try {
      parseUsage(text, 'usage.yml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).subject).toBe('usage.yml');
    expect((err as UserError).message).toMatch(problem);
    expect((err as UserError).message).not.toMatch(/\n/);
  });

  it('names a missing file', () => {
    expect(() => loadUsage(path.join(os.tmpdir(), 'no-such-gantry-usage.yml'))).toThrow(/no-such-gantry-usage\.yml: usage file not found/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-u-'));
    expect(() => loadUsage(dir)).toThrow(/not a regular file/);
  });
});
