/**
 * IAM rules, cdk-nag style: for each rule, minimal non-compliant cases and compliant cases, on
 * real Terraform JSON shapes loaded through the model.
 */
import { CODEBUILD_TRUST, jsonencode, policy, roleWithInline, roleWithTrust, run, summary, TARGETS } from './iam-fixtures';
import type { Statement } from './iam-fixtures';
import { IAM_RULES } from '../../policies/iam';
import { modelOf } from '../support/model';
import { ctxFor } from '../support/context';
import { SEVERITY_ORDER } from '../../policies/rule';
import { hasAnyCondition, hasConditionKey } from '../../policies/iam/lib/trust';
import type { PolicyStatement } from '../../auditor/model/types';

const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown) => ({ Effect: 'Deny', Action, Resource });
const BUCKET_OBJECTS = '${aws_s3_bucket.artifacts.arn}/*';

describe('iam/admin-star', () => {
  it('Noncompliance: "*" on "*" in an inline jsonencode policy', () => {
    expect(summary('iam/admin-star', roleWithInline([allow('*', '*')]))).toEqual(['aws_iam_role_policy.p * critical']);
  });
  it('Noncompliance: "*" on "*" in an aws_iam_policy_document attached through a customer-managed policy', () => {
    const tf = {
      data: { aws_iam_policy_document: { admin: { statement: [{ actions: ['*'], resources: ['*'] }] } } },
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
        aws_iam_policy: { admin: { name: 'admin', policy: '${data.aws_iam_policy_document.admin.json}' } },
        aws_iam_role_policy_attachment: { a: { role: '${aws_iam_role.r.name}', policy_arn: '${aws_iam_policy.admin.arn}' } },
      },
    };
    expect(summary('iam/admin-star', tf)).toEqual(['aws_iam_policy.admin * critical']);
  });
  it('Compliance: "*" on a specific resource, and Deny "*" on "*"', () => {
    expect(run('iam/admin-star', roleWithInline([allow('*', '${aws_s3_bucket.artifacts.arn}'), deny('*', '*')]))).toEqual([]);
  });
});

describe('iam/service-wildcard', () => {
  it('Noncompliance: s3:* on "*" is high, on a named bucket medium, "*" on a named resource medium', () => {
    expect(summary('iam/service-wildcard', roleWithInline([allow('s3:*', '*')]))).toEqual(['aws_iam_role_policy.p s3:* high']);
    expect(summary('iam/service-wildcard', roleWithInline([allow(['s3:*'], [BUCKET_OBJECTS])]))).toEqual(['aws_iam_role_policy.p s3:* medium']);
    expect(summary('iam/service-wildcard', roleWithInline([allow('*', BUCKET_OBJECTS)]))).toEqual(['aws_iam_role_policy.p * medium']);
  });
  it('Compliance: prefix wildcards, listed actions, Deny s3:*, and "*" on "*" (left to iam/admin-star)', () => {
    expect(run('iam/service-wildcard', roleWithInline([allow(['s3:Get*', 's3:PutObject'], BUCKET_OBJECTS), deny('s3:*', '*'), allow('*', '*')]))).toEqual([]);
  });
});

describe('iam/permissions-management-on-star', () => {
  it('Noncompliance: iam:AttachRolePolicy on "*", detail is the pattern as written', () => {
    expect(summary('iam/permissions-management-on-star', roleWithInline([allow('iam:AttachRolePolicy', '*')]))).toEqual(['aws_iam_role_policy.p iam:AttachRolePolicy high']);
    expect(summary('iam/permissions-management-on-star', roleWithInline([allow(['iam:Put*', 's3:PutBucketPolicy'], 'arn:aws:s3:::*')]))).toEqual([
      'aws_iam_role_policy.p iam:Put* high',
      'aws_iam_role_policy.p s3:PutBucketPolicy high',
    ]);
  });
  it('Compliance: the same actions on a referenced role / bucket', () => {
    expect(run('iam/permissions-management-on-star', roleWithInline([allow('iam:AttachRolePolicy', '${aws_iam_role.r.arn}'), allow('s3:PutBucketPolicy', '${aws_s3_bucket.artifacts.arn}')]))).toEqual([]);
  });
});

describe('iam/write-on-star', () => {
  it('Noncompliance: codebuild:StartBuild on "*"', () => {
    expect(summary('iam/write-on-star', roleWithInline([allow('codebuild:StartBuild', '*')]))).toEqual(['aws_iam_role_policy.p codebuild:StartBuild medium']);
  });
  it('Compliance: scoped write, wildcard-only write (codepipeline:PutJobSuccessResult) on "*", Deny, and iam:PassRole (own rule)', () => {
    const tf = roleWithInline([
      allow('codebuild:StartBuild', '${aws_codebuild_project.build.arn}'),
      allow(['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'], '*'),
      allow('iam:PassRole', '*'),
      deny('s3:DeleteBucket', '*'),
    ]);
    expect(run('iam/write-on-star', tf)).toEqual([]);
  });
});

describe('iam/data-exfiltration-on-star', () => {
  it('Noncompliance: secrets and parameters on "*", one finding per action (ssm:GetParameter* expands)', () => {
    const tf = roleWithInline([allow(['secretsmanager:GetSecretValue', 'ssm:GetParameter*'], '*')]);
    expect(summary('iam/data-exfiltration-on-star', tf).sort()).toEqual([
      'aws_iam_role_policy.p secretsmanager:GetSecretValue high',
      'aws_iam_role_policy.p ssm:GetParameter high',
      'aws_iam_role_policy.p ssm:GetParameterHistory high',
      'aws_iam_role_policy.p ssm:GetParameters high',
      'aws_iam_role_policy.p ssm:GetParametersByPath high',
    ].sort());
  });
  it('Noncompliance: kms:Decrypt on "*"', () => {
    expect(summary('iam/data-exfiltration-on-star', roleWithInline([allow('kms:Decrypt', '*')]))).toEqual(['aws_iam_role_policy.p kms:Decrypt high']);
  });
  it('Compliance: object reads on "<bucket-arn>/*" and decrypt on the key reference', () => {
    expect(run('iam/data-exfiltration-on-star', roleWithInline([allow('s3:GetObject', BUCKET_OBJECTS), allow('kms:Decrypt', '${aws_kms_key.k.arn}')]))).toEqual([]);
  });
});

describe('iam/credentials-exposure-on-star', () => {
  it('Noncompliance: sts:AssumeRole and iam:CreateAccessKey on "*"', () => {
    expect(summary('iam/credentials-exposure-on-star', roleWithInline([allow(['sts:AssumeRole', 'iam:CreateAccessKey'], '*')]))).toEqual([
      'aws_iam_role_policy.p sts:AssumeRole high',
      'aws_iam_role_policy.p iam:CreateAccessKey high',
    ]);
  });
  it('Compliance: ecr:GetAuthorizationToken (wildcard-only) on "*", sts:AssumeRole on one role', () => {
    expect(run('iam/credentials-exposure-on-star', roleWithInline([allow('ecr:GetAuthorizationToken', '*'), allow('sts:AssumeRole', '${aws_iam_role.r.arn}')]))).toEqual([]);
  });
});

describe('iam/resource-star', () => {
  it('Noncompliance: s3:ListBucket on "*" and on arn:aws:s3:::* (every bucket)', () => {
    expect(summary('iam/resource-star', roleWithInline([allow('s3:ListBucket', '*')]))).toEqual(['aws_iam_role_policy.p s3:ListBucket low']);
    expect(summary('iam/resource-star', roleWithInline([allow('s3:ListBucket', 'arn:aws:s3:::*')]))).toEqual(['aws_iam_role_policy.p s3:ListBucket low']);
  });
  it('Compliance: wildcard-only List/Describe actions on "*" are exempt; a named bucket is scoped', () => {
    expect(run('iam/resource-star', roleWithInline([allow(['s3:ListAllMyBuckets', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'], '*'), allow('s3:ListBucket', '${aws_s3_bucket.artifacts.arn}')]))).toEqual([]);
  });
});

describe('iam/privilege-escalation', () => {
  const withManaged = (inline: unknown[], managed: unknown[]) => ({
    resource: {
      ...TARGETS,
      aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
      aws_iam_role_policy: { p: { role: '${aws_iam_role.r.id}', policy: jsonencode(policy(...(inline as Record<string, unknown>[]))) } },
      aws_iam_policy: { m: { name: 'm', policy: jsonencode(policy(...(managed as Record<string, unknown>[]))) } },
      aws_iam_role_policy_attachment: { a: { role: '${aws_iam_role.r.name}', policy_arn: '${aws_iam_policy.m.arn}' } },
    },
  });
  it('Noncompliance: PassRole (inline) + codebuild:CreateProject + StartBuild (attached policy), combined per principal', () => {
    const tf = withManaged([allow('iam:PassRole', '*')], [allow(['codebuild:CreateProject', 'codebuild:StartBuild'], '*')]);
    expect(summary('iam/privilege-escalation', tf)).toEqual(['aws_iam_role.r PassExistingRoleToNewCodeBuildProjectThenBuild high']);
  });
  it('Noncompliance: iam:CreatePolicyVersion reached through a wildcard; scoped grants are medium', () => {
    expect(summary('iam/privilege-escalation', roleWithInline([allow('iam:CreatePolicy*', 'arn:aws:iam::123456789012:policy/app-*')]))).toEqual(['aws_iam_role.r CreateNewPolicyVersion medium']);
  });
  it('Noncompliance: PassRole + lambda:CreateFunction + lambda:InvokeFunction', () => {
    const tf = roleWithInline([allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], '*')]);
    expect(run('iam/privilege-escalation', tf).map((r) => r.detail)).toContain('PassExistingRoleToNewLambdaThenInvoke');
  });
  it('Compliance: one action of the combination missing, or removed by an unconditional Deny', () => {
    expect(run('iam/privilege-escalation', withManaged([allow('iam:PassRole', '*')], [allow('codebuild:StartBuild', '*')]))).toEqual([]);
    const denied = withManaged([allow('iam:PassRole', '*'), deny('codebuild:CreateProject', '*')], [allow(['codebuild:CreateProject', 'codebuild:StartBuild'], '*')]);
    expect(run('iam/privilege-escalation', denied)).toEqual([]);
  });
});

describe('iam/passrole-unrestricted', () => {
  it('Noncompliance: PassRole on "*" (high), via iam:Pass* too; on a role without iam:PassedToService (low)', () => {
    expect(summary('iam/passrole-unrestricted', roleWithInline([allow('iam:PassRole', '*')]))).toEqual(['aws_iam_role_policy.p iam:PassRole high']);
    expect(summary('iam/passrole-unrestricted', roleWithInline([allow('iam:Pass*', '*')]))).toEqual(['aws_iam_role_policy.p iam:PassRole high']);
    expect(summary('iam/passrole-unrestricted', roleWithInline([allow('iam:PassRole', '${aws_iam_role.r.arn}')]))).toEqual(['aws_iam_role_policy.p iam:PassRole low']);
  });
  it('Compliance: one role, passed only to CodeBuild', () => {
    const tf = roleWithInline([allow('iam:PassRole', '${aws_iam_role.r.arn}', { Condition: { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } } })]);
    expect(run('iam/passrole-unrestricted', tf)).toEqual([]);
  });
});

describe('iam/aws-managed-admin-policy', () => {
  const attach = (...arns: string[]) => ({
    resource: {
      aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
      aws_iam_role_policy_attachment: Object.fromEntries(arns.map((arn, i) => [`a${i}`, { role: '${aws_iam_role.r.name}', policy_arn: arn }])),
    },
  });
  it('Noncompliance: AdministratorAccess critical, PowerUserAccess / IAMFullAccess high, other *FullAccess medium', () => {
    const tf = attach(
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/IAMFullAccess',
      'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    );
    expect(summary('iam/aws-managed-admin-policy', tf)).toEqual([
      'aws_iam_role_policy_attachment.a0 AdministratorAccess critical',
      'aws_iam_role_policy_attachment.a1 PowerUserAccess high',
      'aws_iam_role_policy_attachment.a2 IAMFullAccess high',
      'aws_iam_role_policy_attachment.a3 AmazonS3FullAccess medium',
    ]);
  });
  it('Compliance: narrow AWS-managed policies and customer policies named like them', () => {
    expect(run('iam/aws-managed-admin-policy', attach('arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole', 'arn:aws:iam::123456789012:policy/AdministratorAccess'))).toEqual([]);
  });
  it('Compliance: a policy named like an Object.prototype member is not mistaken for a broad one', () => {
    expect(run('iam/aws-managed-admin-policy', attach('arn:aws:iam::aws:policy/constructor', 'arn:aws:iam::aws:policy/toString', 'arn:aws:iam::aws:policy/__proto__'))).toEqual([]);
  });
  it('reports a policy attached twice to one role once, and once per role it is attached to', () => {
    const tf = {
      resource: {
        aws_iam_role: {
          r: { name: 'r', assume_role_policy: jsonencode(CODEBUILD_TRUST), managed_policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'] },
          s: { name: 's', assume_role_policy: jsonencode(CODEBUILD_TRUST) },
        },
        aws_iam_policy_attachment: { both: { name: 'both', roles: ['${aws_iam_role.r.name}', '${aws_iam_role.s.name}'], policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } },
      },
    };
    expect(run('iam/aws-managed-admin-policy', tf).map((r) => `${r.node.address} ${r.detail} ${r.message}`)).toEqual([
      'aws_iam_role.r AdministratorAccess aws_iam_role.r has the AWS-managed policy AdministratorAccess attached',
      'aws_iam_policy_attachment.both AmazonS3FullAccess aws_iam_role.r has the AWS-managed policy AmazonS3FullAccess attached',
      'aws_iam_policy_attachment.both AmazonS3FullAccess aws_iam_role.s has the AWS-managed policy AmazonS3FullAccess attached',
    ]);
  });
});

describe('iam/trust-any-principal', () => {
  it('Noncompliance: Principal "*" (critical); with a condition (medium)', () => {
    expect(summary('iam/trust-any-principal', roleWithTrust(policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' })))).toEqual(['aws_iam_role.r * critical']);
    const conditioned = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } });
    expect(summary('iam/trust-any-principal', roleWithTrust(conditioned))).toEqual(['aws_iam_role.r * medium']);
  });
  it('Compliance: a service principal; a Deny for "*"', () => {
    expect(run('iam/trust-any-principal', roleWithTrust(policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'codebuild.amazonaws.com' } }, { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: '*' })))).toEqual([]);
  });
});

describe('iam/trust-whole-account', () => {
  it('Noncompliance: an account root ARN, a bare account id, and a root built from aws_caller_identity', () => {
    const trust = policy({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: ['arn:aws:iam::111122223333:root', '444455556666', 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root'] },
    });
    const tf = { data: { aws_caller_identity: { me: {} } }, ...roleWithTrust(trust) };
    expect(run('iam/trust-whole-account', tf).map((r) => r.detail)).toEqual(['arn:aws:iam::111122223333:root', '444455556666', 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root']);
  });
  it('Compliance: a named role ARN; an account root with sts:ExternalId', () => {
    const trust = policy(
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111122223333:role/deployer' } },
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } },
    );
    expect(run('iam/trust-whole-account', roleWithTrust(trust))).toEqual([]);
  });
});

describe('iam/trust-service-confused-deputy', () => {
  it('Noncompliance: codebuild.amazonaws.com without aws:SourceAccount / aws:SourceArn', () => {
    const trust = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['codebuild.amazonaws.com'] } });
    expect(summary('iam/trust-service-confused-deputy', roleWithTrust(trust))).toEqual(['aws_iam_role.r codebuild.amazonaws.com low']);
  });
  it('Compliance: aws:SourceAccount (StringEquals) or aws:SourceArn (ArnLike, any key case)', () => {
    expect(run('iam/trust-service-confused-deputy', roleWithTrust(CODEBUILD_TRUST))).toEqual([]);
    const arn = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'codepipeline.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:codepipeline:*:123456789012:app' } } });
    expect(run('iam/trust-service-confused-deputy', roleWithTrust(arn))).toEqual([]);
  });
});

describe('iam/allow-not-action', () => {
  it('Noncompliance: Allow with NotAction; Allow with NotResource', () => {
    const tf = roleWithInline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }]);
    expect(summary('iam/allow-not-action', tf)).toEqual(['aws_iam_role_policy.p NotAction high', 'aws_iam_role_policy.p NotResource high']);
  });
  it('Compliance: Deny with NotAction (the usual guard-rail form)', () => {
    expect(run('iam/allow-not-action', roleWithInline([{ Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' }]))).toEqual([]);
  });
});

describe('iam/unknown-action', () => {
  it('Noncompliance: a typo (with a suggestion), an unknown service, a malformed action, a wildcard that matches nothing', () => {
    const tf = roleWithInline([allow(['s3:GetObjekt', 'codebiuld:StartBuild', 'GetObject', 's3:Frobnicate*'], BUCKET_OBJECTS)]);
    const results = run('iam/unknown-action', tf);
    expect(results.map((r) => r.detail)).toEqual(['s3:GetObjekt', 'codebiuld:StartBuild', 'GetObject', 's3:Frobnicate*']);
    expect(results[0].message).toContain('did you mean s3:GetObject?');
    expect(results[1].message).toContain('unknown service "codebiuld"');
  });
  it('Noncompliance: a typo in a Deny (it denies nothing) and in a trust policy', () => {
    expect(run('iam/unknown-action', roleWithInline([deny('s3:DeleteBukcet', '*')]))[0].message).toContain('denies nothing');
    expect(run('iam/unknown-action', roleWithTrust(policy({ Effect: 'Allow', Action: 'sts:AssumeRoel', Principal: { Service: 'codebuild.amazonaws.com' } }))).map((r) => r.detail)).toEqual(['sts:AssumeRoel']);
  });
  it('Compliance: real actions in any case, wildcards that match', () => {
    expect(run('iam/unknown-action', roleWithInline([allow(['S3:getobject', 's3:Get*', 'logs:PutLogEvents'], BUCKET_OBJECTS)]))).toEqual([]);
  });
});

describe('iam/resource-type-mismatch', () => {
  it('Noncompliance: s3:GetObject on a DynamoDB table ARN (literal and reference)', () => {
    const tf = roleWithInline([allow('s3:GetObject', ['arn:aws:dynamodb:eu-west-1:123456789012:table/locks', '${aws_dynamodb_table.locks.arn}'])]);
    expect(run('iam/resource-type-mismatch', tf).map((r) => r.detail)).toEqual(['arn:aws:dynamodb:eu-west-1:123456789012:table/locks', '${aws_dynamodb_table.locks.arn}']);
  });
  it('Noncompliance: s3:GetObject on a bucket ARN (objects live at <bucket>/*); a wildcard-only action on a specific ARN', () => {
    expect(run('iam/resource-type-mismatch', roleWithInline([allow('s3:GetObject', 'arn:aws:s3:::artifacts')])).map((r) => r.detail)).toEqual(['arn:aws:s3:::artifacts']);
    const r = run('iam/resource-type-mismatch', roleWithInline([allow('ecr:GetAuthorizationToken', 'arn:aws:ecr:eu-west-1:123456789012:repository/app')]));
    expect(r[0].message).toContain('only accept "*"');
  });
  it('Compliance: matching pairs, log streams under "<log-group-arn>:*", mixed statements, "*"', () => {
    const tf = roleWithInline([
      allow(['s3:GetObject', 's3:PutObject'], [BUCKET_OBJECTS, 'arn:aws:s3:::artifacts/*']),
      allow(['s3:ListBucket', 's3:GetObject'], ['${aws_s3_bucket.artifacts.arn}', BUCKET_OBJECTS]),
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], ['${aws_cloudwatch_log_group.build.arn}:*', 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app:*']),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], '${aws_dynamodb_table.locks.arn}'),
      allow(['kms:Decrypt', 'kms:GenerateDataKey'], '${aws_kms_key.k.arn}'),
      allow('ecr:GetAuthorizationToken', '*'),
    ]);
    expect(run('iam/resource-type-mismatch', tf)).toEqual([]);
  });
});

describe('iam/unresolved-policy', () => {
  it('Noncompliance: a policy from a variable / file() is an info finding, never a silent pass', () => {
    const tf = {
      variable: { doc: { type: 'string' } },
      resource: {
        aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
        aws_iam_role_policy: { p: { role: '${aws_iam_role.r.id}', policy: '${var.doc}' } },
      },
    };
    expect(summary('iam/unresolved-policy', tf)).toEqual(['aws_iam_role_policy.p aws_iam_role_policy.p info']);
  });
  it('Compliance: a fully resolved role has no unresolved findings', () => {
    expect(run('iam/unresolved-policy', roleWithInline([allow('s3:GetObject', BUCKET_OBJECTS)]))).toEqual([]);
  });
});

describe('iam/principal-summary', () => {
  it('counts actions after expansion, write and permissions-management ones, per principal', () => {
    const tf = roleWithInline([allow(['s3:GetObject', 's3:PutObject', 'iam:AttachRolePolicy', 'iam:TagRole'], BUCKET_OBJECTS), deny('s3:PutObject', '*')]);
    const [r] = run('iam/principal-summary', tf);
    expect(r.node.address).toBe('aws_iam_role.r');
    expect(r.message).toContain('can perform 3 actions');
    expect(r.message).toContain('1 write, 1 permissions management');
  });
  it('counts a wildcard as every action it expands to', () => {
    const [r] = run('iam/principal-summary', roleWithInline([allow('s3:*', BUCKET_OBJECTS)]));
    const n = Number(/can perform (\d+) actions/.exec(r.message)?.[1]);
    expect(n).toBe(ctxFor().iam.expand('s3:*').length);
  });
});

describe('IAM rules together', () => {
  it('a least-privilege CodeBuild role, written the way Gantry writes it, has no finding above info', () => {
    const tf = roleWithInline([
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], '${aws_cloudwatch_log_group.build.arn}:*'),
      allow(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], BUCKET_OBJECTS),
      allow(['s3:GetBucketLocation', 's3:ListBucket'], '${aws_s3_bucket.artifacts.arn}'),
      allow(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'], '${aws_kms_key.k.arn}'),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], '${aws_dynamodb_table.locks.arn}'),
      allow(['codebuild:CreateReportGroup', 'codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'], 'arn:aws:codebuild:eu-west-1:123456789012:report-group/app-*'),
      allow(['ecr:GetAuthorizationToken'], '*'),
    ]);
    const model = modelOf(tf);
    const ctx = ctxFor();
    const serious = IAM_RULES.flatMap((rule) => rule.check(model, ctx).map((r) => ({ rule: rule.id, severity: r.severity ?? rule.severity, message: r.message }))).filter(
      (f) => SEVERITY_ORDER.indexOf(f.severity) <= SEVERITY_ORDER.indexOf('low'),
    );
    expect(serious).toEqual([]);
  });

  it('a plainly over-privileged role trips the rules that matter', () => {
    const tf = roleWithInline([allow('*', '*')], { trust: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' }) });
    const model = modelOf(tf);
    const ctx = ctxFor();
    const ids = new Set(IAM_RULES.flatMap((rule) => rule.check(model, ctx).map(() => rule.id)));
    expect([...ids]).toEqual(expect.arrayContaining(['iam/admin-star', 'iam/trust-any-principal', 'iam/privilege-escalation', 'iam/principal-summary']));
  });
});

describe('facts shared between rules and documents', () => {
  it('labels a statement by where it sits in each document that holds it (a policy document merged into another)', () => {
    const tf = {
      data: {
        aws_iam_policy_document: {
          first: { statement: [{ actions: ['sqs:SendMessage'], resources: ['*'] }] },
          base: { statement: [{ actions: ['s3:*'], resources: ['${aws_s3_bucket.artifacts.arn}'] }] },
          merged: { source_policy_documents: ['${data.aws_iam_policy_document.first.json}', '${data.aws_iam_policy_document.base.json}'] },
        },
      },
      resource: {
        ...TARGETS,
        aws_iam_role: { a: { name: 'a', assume_role_policy: jsonencode(CODEBUILD_TRUST) }, b: { name: 'b', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
        aws_iam_role_policy: {
          pa: { role: '${aws_iam_role.a.id}', policy: '${data.aws_iam_policy_document.base.json}' },
          pb: { role: '${aws_iam_role.b.id}', policy: '${data.aws_iam_policy_document.merged.json}' },
        },
      },
    };
    expect(run('iam/service-wildcard', tf).map((r) => r.message)).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\.pa statement #1 allows "s3:\*"/),
      expect.stringMatching(/^aws_iam_role_policy\.pb statement #2 allows "s3:\*"/),
    ]);
  });

  it('never reads one action holding a line break as two actions', () => {
    const tf = {
      resource: {
        aws_iam_role: { a: { name: 'a', assume_role_policy: jsonencode(CODEBUILD_TRUST) }, b: { name: 'b', assume_role_policy: jsonencode(CODEBUILD_TRUST) } },
        aws_iam_role_policy: {
          pa: { role: '${aws_iam_role.a.id}', policy: JSON.stringify(policy({ Effect: 'Allow', Action: ['s3:GetObject\ns3:PutObject'], Resource: '*' })) },
          pb: { role: '${aws_iam_role.b.id}', policy: JSON.stringify(policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' })) },
        },
      },
    };
    expect(run('iam/principal-summary', tf).map((r) => r.message)).toEqual([
      expect.stringMatching(/^aws_iam_role\.a can perform 0 actions/),
      expect.stringMatching(/^aws_iam_role\.b can perform 2 actions after wildcard expansion: 1 write, 0 permissions management; 2 on every resource$/),
    ]);
  });

  it('gives principals with the same grants the same permissions, and different grants their own', () => {
    const role = (name: string) => ({ [name]: { name, assume_role_policy: jsonencode(CODEBUILD_TRUST) } });
    const inline = (name: string, statements: Statement[]) => ({ [`p${name}`]: { role: `\${aws_iam_role.${name}.id}`, policy: jsonencode(policy(...statements)) } });
    const s3 = [allow(['s3:GetObject', 's3:PutObject'], '*')];
    const s3scoped = [allow(['s3:GetObject', 's3:PutObject'], BUCKET_OBJECTS)];
    const tf = {
      resource: {
        ...TARGETS,
        aws_iam_role: { ...role('a'), ...role('b'), ...role('c') },
        aws_iam_role_policy: { ...inline('a', s3), ...inline('b', [allow(['S3:GETOBJECT', 's3:putobject'], '*')]), ...inline('c', s3scoped) },
      },
    };
    expect(run('iam/principal-summary', tf).map((r) => r.message.replace(/^aws_iam_role\.. /, ''))).toEqual([
      'can perform 2 actions after wildcard expansion: 1 write, 0 permissions management; 2 on every resource',
      'can perform 2 actions after wildcard expansion: 1 write, 0 permissions management; 2 on every resource',
      'can perform 2 actions after wildcard expansion: 1 write, 0 permissions management; 0 on every resource',
    ]);
  });
});

describe('trust helpers', () => {
  const statement = (conditions: PolicyStatement['conditions']): PolicyStatement =>
    ({ sid: undefined, effect: 'Allow', actions: ['sts:AssumeRole'], notActions: undefined, resources: [], notResources: undefined, principal: { Service: ['codebuild.amazonaws.com'] }, notPrincipal: undefined, conditions, unknowns: undefined }) as PolicyStatement;
  const nullProto = <T extends object>(o: T): T => Object.assign(Object.create(null), o);

  it('find condition keys under any operator, in any case, the same for every statement sharing the conditions', () => {
    const shared = nullProto({ StringEquals: nullProto({ 'AWS:SourceAccount': ['1'] }), ArnLike: nullProto({ 'aws:SourceArn': ['a'] }) });
    for (const s of [statement(shared), statement(shared)]) {
      expect(hasConditionKey(s, ['aws:sourceaccount'])).toBe(true);
      expect(hasConditionKey(s, ['aws:SourceArn'])).toBe(true);
      expect(hasConditionKey(s, ['aws:PrincipalOrgID'])).toBe(false);
      expect(hasAnyCondition(s)).toBe(true);
    }
  });
  it('see no condition in empty conditions, operators without keys, or none at all', () => {
    for (const c of [nullProto({}), nullProto({ StringEquals: nullProto({}) }), undefined as unknown as PolicyStatement['conditions']]) {
      expect(hasAnyCondition(statement(c))).toBe(false);
      expect(hasConditionKey(statement(c), ['aws:SourceAccount'])).toBe(false);
    }
  });
});
