/**
 * Red-team regressions in the IAM rules: object-key wildcards in literal S3 ARNs are scoped, and a
 * full administrator gets one privilege-escalation finding instead of one per method.
 */
import { allowAll, jsonencode, policy, roleWithInline, run, summary } from './iam-helpers';
import { isUnscopedResource } from '../../policies/iam/lib/analysis';
import escalation from '../../policies/data/iam/privilege-escalation.json';

describe('literal S3 ARNs with a wildcard only in the object key are scoped', () => {
  it.each(['arn:aws:s3:::my-bucket/*', 'arn:aws:s3:::my-bucket/builds/*', 'arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket-*/*'])('%s is scoped', (arn) => {
    expect(isUnscopedResource(arn)).toBe(false);
  });
  it.each(['arn:aws:s3:::*', 'arn:aws:s3:::*/*', '*', 'arn:aws:iam::123456789012:role/*', 'arn:aws:s3:us-east-1:123456789012:accesspoint/*', 'arn:aws:dynamodb:us-east-1:123456789012:table/*'])(
    '%s is every resource',
    (arn) => {
      expect(isUnscopedResource(arn)).toBe(true);
    },
  );
  it('iam/data-exfiltration-on-star: s3:GetObject on arn:aws:s3:::bucket/* is not reported, on arn:aws:s3:::*/* it is', () => {
    expect(run('iam/data-exfiltration-on-star', roleWithInline([allowAll(['s3:GetObject'], 'arn:aws:s3:::gantry-artifacts/*')]))).toEqual([]);
    expect(summary('iam/data-exfiltration-on-star', roleWithInline([allowAll(['s3:GetObject'], 'arn:aws:s3:::*/*')]))).toEqual(['aws_iam_role_policy.p s3:GetObject high']);
  });
  it('iam/write-on-star: s3:PutObject on a literal bucket path is not reported', () => {
    expect(run('iam/write-on-star', roleWithInline([allowAll(['s3:PutObject', 's3:DeleteObject'], ['arn:aws:s3:::gantry-artifacts/builds/*'])]))).toEqual([]);
  });
});

describe('iam/privilege-escalation on a full administrator', () => {
  it('one high finding for a role with "*" on "*", its detail counting the methods', () => {
    const found = run('iam/privilege-escalation', roleWithInline([allowAll('*', '*')]));
    expect(found).toHaveLength(1);
    expect(found[0].detail).toBe('full-admin');
    expect(found[0].severity).toBe('high');
    expect(found[0].message).toContain(`${escalation.methods.length} known methods`);
  });
  it('the same through an attached AWS-managed AdministratorAccess-like customer policy', () => {
    const tf = {
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'codebuild.amazonaws.com' } })) } },
        aws_iam_policy: { admin: { name: 'admin', policy: jsonencode(policy(allowAll('*:*', '*'))) } },
        aws_iam_role_policy_attachment: { a: { role: '${aws_iam_role.r.name}', policy_arn: '${aws_iam_policy.admin.arn}' } },
      },
    };
    expect(summary('iam/privilege-escalation', tf)).toEqual(['aws_iam_role.r full-admin high']);
  });
  it('granular otherwise: iam:* on "*" gives one finding per method (each suppressible)', () => {
    const found = run('iam/privilege-escalation', roleWithInline([allowAll('iam:*', '*')]));
    expect(found.length).toBeGreaterThan(3);
    expect(new Set(found.map((f) => f.detail)).size).toBe(found.length);
    expect(found.some((f) => f.detail === 'full-admin')).toBe(false);
  });
  it('a conditional "*" on "*" is not treated as a full-admin grant', () => {
    const found = run('iam/privilege-escalation', roleWithInline([allowAll('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })]));
    expect(found.length).toBeGreaterThan(1);
    expect(found.some((f) => f.detail === 'full-admin')).toBe(false);
  });
});
