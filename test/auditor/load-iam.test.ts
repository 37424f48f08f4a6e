import { Fn, TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import fc from 'fast-check';
import { parseHclValue, parseJsonencode } from '../../auditor/iam/normalise-hcl';
import { plainReferenceAttr } from '../../auditor/iam/normalise-views';
import { TRAVERSAL_STRIDE, scanTraversalOffsets, singleTraversal, traversals } from '../../auditor/model/refs';
import { StatementPool, dataSourceStatements, normaliseJsonPolicy } from '../../auditor/iam/normalise';
import { Unknown } from '../../auditor/model/types';
import type { PolicyView, PrincipalView } from '../../auditor/model/types';
import { modelOf } from '../support/model';

function synthesized(): object {
  const app = Testing.app();
  const s = new TerraformStack(app, 'iam');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  const bucket = new S3Bucket(s, 'bucket', { bucket: 'artifacts' });
  const doc = new DataAwsIamPolicyDocument(s, 'doc', {
    statement: [
      { sid: 'Read', actions: ['s3:GetObject'], resources: [`${bucket.arn}/*`] },
      { effect: 'Deny', actions: ['s3:*'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] },
    ],
  });
  const role = new IamRole(s, 'role', {
    name: 'build',
    assumeRolePolicy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
    }),
    inlinePolicy: [{ name: 'logs', policy: doc.json }],
    managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  });
  new IamRolePolicy(s, 'inline', { role: role.name, policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 'kms:Decrypt'], Resource: [bucket.arn, `${bucket.arn}/*`] }] }) });
  new IamRolePolicy(s, 'byname', { role: 'build', policy: JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' } }) });
  const custom = new IamPolicy(s, 'custom', { policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }) });
  new IamRolePolicyAttachment(s, 'attach', { role: role.name, policyArn: custom.arn });
  new IamRolePolicyAttachment(s, 'admin', { role: role.id, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  return JSON.parse(Testing.synth(s));
}

const byName = (p: PrincipalView, name: string): PolicyView => {
  const v = p.policies.find((x) => x.name === name);
  if (!v) throw new Error(`no policy ${name} in ${p.policies.map((x) => x.name).join(', ')}`);
  return v;
};

describe('IAM normalisation on real cdktf output', () => {
  const m = modelOf(synthesized(), 'iam');
  const [role] = m.principals();

  it('finds the role with its trust policy from jsonencode', () => {
    expect(m.principals()).toHaveLength(1);
    expect(role.node.address).toBe('aws_iam_role.role');
    expect(role.trust!.kind).toBe('trust');
    expect(role.trust!.document!.statements).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole'], principal: { Service: ['codebuild.amazonaws.com'] }, conditions: { StringEquals: { 'aws:SourceAccount': ['123456789012'] } } },
    ]);
  });

  it('resolves an inline_policy block through the policy document data source', () => {
    const v = byName(role, 'aws_iam_role.role.inline_policy["logs"]');
    expect(v.kind).toBe('identity-inline');
    const [read, deny] = v.document!.statements;
    expect(read).toMatchObject({ sid: 'Read', effect: 'Allow', actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.bucket.arn}/*'] });
    expect(m.resolve('iam', read.resources![0])!.address).toBe('aws_s3_bucket.bucket');
    expect(deny).toMatchObject({ effect: 'Deny', actions: ['s3:*'], resources: ['*'], principal: { AWS: ['*'] }, conditions: { Bool: { 'aws:SecureTransport': ['false'] } } });
  });

  it('attaches aws_iam_role_policy by reference and by literal role name', () => {
    const ref = byName(role, 'aws_iam_role_policy.inline');
    expect(ref.document!.statements[0]).toMatchObject({ actions: ['s3:PutObject', 'kms:Decrypt'], resources: ['${aws_s3_bucket.bucket.arn}', '${aws_s3_bucket.bucket.arn}/*'] });
    const lit = byName(role, 'aws_iam_role_policy.byname');
    expect(lit.document!.statements[0]).toMatchObject({ actions: ['logs:PutLogEvents'], resources: ['*'] });
  });

  it('resolves customer-managed attachments and names AWS-managed ones without a document', () => {
    const custom = byName(role, 'aws_iam_policy.custom');
    expect(custom.kind).toBe('identity-managed');
    expect(custom.document!.statements[0]).toMatchObject({ effect: 'Allow', notActions: ['iam:*'], resources: ['*'] });
    const admin = byName(role, 'arn:aws:iam::aws:policy/AdministratorAccess');
    expect(admin).toMatchObject({ kind: 'aws-managed' });
    expect(admin.document).toBeUndefined();
    expect(byName(role, 'arn:aws:iam::aws:policy/ReadOnlyAccess').kind).toBe('aws-managed');
    expect(role.policies).toHaveLength(6);
  });
});

describe('jsonencode HCL reader', () => {
  it('reads cdktf rendering, including its unescaped quotes and backslashes', () => {
    const v = parseJsonencode('${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Action" = ["s3:*", "a"b"], "Resource" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*", "x\\y"], "Sid" = "it\'s", "Num" = 3, "T" = true, "N" = null}]})}')!.value as any;
    expect(v.Version).toBe('2012-10-17');
    expect(v.Statement[0]).toEqual({ Action: ['s3:*', 'a"b'], Resource: ['${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*', 'x\\y'], Sid: "it's", Num: 3, T: true, N: null });
  });
  it('keeps referencing expressions as references and the rest as Unknown', () => {
    const v = parseHclValue('{ a = join(",", [aws_s3_bucket.b.arn]), b = var.names, c = "${data.aws_caller_identity.c.account_id}", d: upper("x") }') as any;
    expect(v.a).toBe('${join(",", [aws_s3_bucket.b.arn])}');
    expect(v.b).toBeInstanceOf(Unknown);
    expect(v.c).toBe('${data.aws_caller_identity.c.account_id}');
    expect(v.d).toBeInstanceOf(Unknown);
    expect(parseJsonencode('${other(1)}')).toBeUndefined();
    expect(() => parseHclValue('{ "a" = [1, 2')).toThrow(/unterminated/);
    expect(() => parseHclValue('{ a 1 }')).toThrow(/expected '='/);
    let deep = '1';
    for (let i = 0; i < 1000; i++) deep = `[${deep}]`;
    expect(() => parseHclValue(deep)).toThrow(/too deeply/);
  });
});

describe('normalising documents', () => {
  it('turns scalars into arrays, "*" principals into AWS:["*"], condition values into strings', () => {
    const d = normaliseJsonPolicy({ Statement: { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::x', Principal: '*', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': [10, '20'] } } } });
    expect(d.statements[0]).toEqual({
      effect: 'Allow',
      actions: ['s3:GetObject'],
      notResources: ['arn:aws:s3:::x'],
      principal: { AWS: ['*'] },
      notPrincipal: { AWS: ['arn:aws:iam::1:root'] },
      conditions: { Bool: { 'aws:SecureTransport': ['true'] }, NumericLessThan: { 's3:max-keys': ['10', '20'] } },
    });
  });
  it('leaves unknown elements out and says so, never as a wildcard', () => {
    const d = normaliseJsonPolicy({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [new Unknown(), 'arn:aws:s3:::b/*'] }] });
    expect(d.statements[0].resources).toEqual(['arn:aws:s3:::b/*']);
    expect(d.statements[0].unknowns).toEqual([{ field: 'resources', reason: 'known after apply' }]);
  });
  it('shares equal conditions through a pool, and only equal ones', () => {
    const pool = new StatementPool();
    const tls = { Bool: { 'aws:SecureTransport': 'false' } };
    const a = normaliseJsonPolicy({ Statement: [{ Effect: 'Deny', Action: 's3:*', Condition: tls }, { Effect: 'Allow', Action: 's3:GetObject' }] }, pool);
    const b = normaliseJsonPolicy({ Statement: { Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': ['false'] } } } }, pool);
    // The data source's block form of the same condition shares it too.
    const c = dataSourceStatements({ statement: [{ effect: 'Deny', actions: ['s3:*'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }] }, pool);
    expect(b.statements[0].conditions).toBe(a.statements[0].conditions);
    expect(c[0].conditions).toBe(a.statements[0].conditions);
    expect(a.statements[0].conditions).toEqual({ Bool: { 'aws:SecureTransport': ['false'] } });
    // Different values, keys or operators are not merged; a __proto__ key is just a key.
    const d = normaliseJsonPolicy({ Statement: [
      { Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
      { Effect: 'Deny', Action: 's3:*', Condition: { StringEquals: { 'aws:SecureTransport': 'false' } } },
      { Effect: 'Deny', Action: 's3:*', Condition: JSON.parse('{"Bool":{"__proto__":["false"]}}') },
      { Effect: 'Deny', Action: 's3:*', Condition: JSON.parse('{"Bool":{"__proto__":["false"]}}') },
    ] }, pool);
    const seen = new Set([a.statements[0].conditions, ...d.statements.slice(0, 4).map((s) => s.conditions)]);
    expect(seen.size).toBe(5);
    expect(d.statements[4].conditions).toBe(d.statements[3].conditions);
    expect(Object.keys(d.statements[3].conditions.Bool)).toEqual(['__proto__']);
    // Without a pool every statement keeps its own object.
    const e = normaliseJsonPolicy({ Statement: { Effect: 'Deny', Action: 's3:*', Condition: tls } });
    expect(e.statements[0].conditions).not.toBe(a.statements[0].conditions);
    expect(e.statements[0].conditions).toEqual(a.statements[0].conditions);
  });

  it('reads one-block data-source conditions through the pool exactly as the general path does', () => {
    const pool = new StatementPool();
    const block = (values: unknown) => ({ effect: 'Deny', actions: ['s3:*'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values }] });
    const [a, b, c] = dataSourceStatements({ statement: [block(['false']), block(['false']), block(['true'])] }, pool);
    expect(b.conditions).toBe(a.conditions);
    expect(c.conditions).not.toBe(a.conditions);
    expect(c.conditions).toEqual({ Bool: { 'aws:SecureTransport': ['true'] } });
    // A single (non-list) block, and two blocks merged, give the same content as without a pool.
    const single = { statement: { effect: 'Deny', actions: ['s3:*'], condition: { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] } } };
    expect(dataSourceStatements(single, pool)[0].conditions).toBe(a.conditions);
    const two = { statement: [{ effect: 'Deny', actions: ['s3:*'], condition: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] },
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['2'] },
    ] }] };
    expect(dataSourceStatements(two, pool)[0].conditions).toEqual(dataSourceStatements(two)[0].conditions);
    expect(dataSourceStatements(two, pool)[0].conditions).toEqual({ StringEquals: { 'aws:SourceAccount': ['1', '2'] } });
    // Values that are not all strings take the general path: numbers are written as strings, unknowns listed.
    const odd = dataSourceStatements({ statement: [block([1, new Unknown('v')])] }, pool)[0];
    expect(odd.conditions).toEqual({ Bool: { 'aws:SecureTransport': ['1'] } });
    expect(odd.unknowns).toEqual([{ field: 'conditions', reason: 'v' }]);
  });

  it('shares equal Action / NotAction lists through the pool, and only equal ones', () => {
    const pool = new StatementPool();
    const a = normaliseJsonPolicy({ Statement: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' },
    ] }, pool).statements;
    const raw = ['s3:GetObject', 's3:PutObject'];
    const b = normaliseJsonPolicy({ Statement: [{ Effect: 'Allow', Action: raw, Resource: '*' }, { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: '*' }] }, pool).statements;
    const c = dataSourceStatements({ statement: [{ actions: ['s3:GetObject', 's3:PutObject'] }, { actions: ['s3:GetObject'] }, { actions: [] }] }, pool);
    expect(b[0].actions).toBe(a[0].actions);
    expect(b[0].actions).not.toBe(raw); // the pool keeps its own copy
    expect(b[1].actions).not.toBe(a[0].actions);
    expect(b[1].actions).toEqual(['s3:PutObject', 's3:GetObject']);
    // A single string, a one-element list, NotAction and the data-source form share one list.
    expect(a[2].notActions).toBe(a[1].actions);
    expect(c[1].actions).toBe(a[1].actions);
    expect(c[0].actions).toBe(a[0].actions);
    expect(c[2].actions).toBeUndefined();
    expect(a[1].actions).toEqual(['s3:GetObject']);
  });

  it('rejects things that are not policies', () => {
    expect(() => normaliseJsonPolicy('x')).toThrow(/not a JSON object/);
    expect(() => normaliseJsonPolicy({ Version: '2012-10-17' })).toThrow(/no Statement/);
    expect(() => normaliseJsonPolicy({ Statement: [{ Action: 'x' }] })).toThrow(/no Effect/);
    expect(() => normaliseJsonPolicy({ Statement: [{ Effect: 'Allow', Principal: { Bogus: 'x' } }] })).toThrow(/unknown type 'Bogus'/);
  });
});

describe('policy views from hand-written configs', () => {
  it('marks unresolvable documents as unresolved with a reason', () => {
    const m = modelOf({
      resource: {
        aws_iam_role: { r: { assume_role_policy: '${var.trust}' } },
        aws_iam_role_policy: {
          a: { role: '${aws_iam_role.r.name}', policy: 'not json' },
          b: { role: '${aws_iam_role.r.id}', policy: '${data.aws_iam_policy_document.missing.json}' },
          c: { role: '${aws_iam_role.r.name}', policy: '${file("p.json")}' },
        },
        aws_iam_role_policy_attachment: { x: { role: '${aws_iam_role.r.name}', policy_arn: 'arn:aws:iam::123456789012:policy/elsewhere' } },
      },
    });
    const [p] = m.principals();
    expect(p.trust!.unresolved).toMatch(/cannot be evaluated/);
    const reasons = Object.fromEntries(p.policies.map((v) => [v.name, v.unresolved]));
    expect(reasons['aws_iam_role_policy.a']).toMatch(/not valid JSON/);
    expect(reasons['aws_iam_role_policy.b']).toMatch(/not in this configuration/);
    expect(reasons['aws_iam_role_policy.c']).toMatch(/cannot be evaluated/);
    expect(reasons['arn:aws:iam::123456789012:policy/elsewhere']).toMatch(/outside this configuration/);
    for (const v of p.policies) expect(v.document).toBeUndefined();
  });

  it('merges source and override documents by sid like Terraform', () => {
    const m = modelOf({
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ sid: 'A', actions: ['s3:GetObject'], resources: ['*'] }, { sid: 'B', actions: ['s3:ListBucket'], resources: ['*'] }] },
          over: { statement: [{ sid: 'B', actions: ['s3:ListAllMyBuckets'], resources: ['*'] }] },
          merged: {
            source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
            override_policy_documents: ['${data.aws_iam_policy_document.over.json}'],
            statement: [{ sid: 'A', actions: ['sqs:SendMessage'], resources: ['*'] }, { actions: ['sns:Publish'], resources: ['*'] }],
          },
        },
      },
      resource: { aws_iam_user: { u: { name: 'ci' } }, aws_iam_user_policy: { p: { user: 'ci', policy: '${data.aws_iam_policy_document.merged.json}' } } },
    });
    const [u] = m.principals();
    expect(u.node.type).toBe('aws_iam_user');
    expect(u.policies[0].document!.statements.map((s) => [s.sid, s.actions![0]])).toEqual([
      ['A', 'sqs:SendMessage'],
      ['B', 's3:ListAllMyBuckets'],
      [undefined, 'sns:Publish'],
    ]);
  });

  it('finds resource policies and the resources they protect', () => {
    const m = modelOf({
      resource: {
        aws_s3_bucket: { b: { bucket: 'art' } },
        aws_s3_bucket_policy: { byref: { bucket: '${aws_s3_bucket.b.id}', policy: '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}' }, byname: { bucket: 'art', policy: '{"Statement":[]}' } },
        aws_kms_key: { k: { policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Principal" = {"AWS" = "*"}, "Action" = "kms:*", "Resource" = "*"}]})}' } },
        aws_sns_topic: { t: { name: 'n' } },
        aws_sns_topic_policy: { tp: { arn: '${aws_sns_topic.t.arn}', policy: '${data.aws_iam_policy_document.none.json}' } },
        aws_ecr_repository: { r: { name: 'repo' } },
        aws_ecr_repository_policy: { rp: { repository: '${aws_ecr_repository.r.name}', policy: '{"Statement":[]}' } },
        aws_secretsmanager_secret: { s: { name: 's' } },
        aws_secretsmanager_secret_policy: { sp: { secret_arn: '${aws_secretsmanager_secret.s.arn}', policy: '{"Statement":[]}' } },
        aws_lambda_function: { f: { function_name: 'f' } },
        aws_lambda_permission: { lp: { function_name: '${aws_lambda_function.f.function_name}', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', source_arn: '${aws_s3_bucket.b.arn}' } },
      },
    });
    const rp = Object.fromEntries(m.resourcePolicies().map((r) => [r.policy.name, r]));
    expect(rp['aws_s3_bucket_policy.byref'].target!.address).toBe('aws_s3_bucket.b');
    expect(rp['aws_s3_bucket_policy.byref'].policy.document!.statements[0]).toMatchObject({ effect: 'Deny', principal: { AWS: ['*'] } });
    expect(rp['aws_s3_bucket_policy.byname'].target!.address).toBe('aws_s3_bucket.b');
    expect(rp['aws_kms_key.k'].target!.address).toBe('aws_kms_key.k');
    expect(rp['aws_kms_key.k'].policy.document!.statements[0].principal).toEqual({ AWS: ['*'] });
    expect(rp['aws_sns_topic_policy.tp'].target!.address).toBe('aws_sns_topic.t');
    expect(rp['aws_sns_topic_policy.tp'].policy.unresolved).toMatch(/not in this configuration/);
    expect(rp['aws_ecr_repository_policy.rp'].target!.address).toBe('aws_ecr_repository.r');
    expect(rp['aws_secretsmanager_secret_policy.sp'].target!.address).toBe('aws_secretsmanager_secret.s');
    expect(rp['aws_lambda_permission.lp'].target!.address).toBe('aws_lambda_function.f');
    expect(rp['aws_lambda_permission.lp'].policy.document!.statements[0]).toMatchObject({
      actions: ['lambda:InvokeFunction'],
      principal: { Service: ['s3.amazonaws.com'] },
      conditions: { ArnLike: { 'AWS:SourceArn': ['${aws_s3_bucket.b.arn}'] } },
    });
    expect(m.resourcePolicies()).toHaveLength(7);
  });

  it('guards against documents that include each other', () => {
    const m = modelOf({
      data: { aws_iam_policy_document: { a: { source_policy_documents: ['${data.aws_iam_policy_document.b.json}'] }, b: { source_policy_documents: ['${data.aws_iam_policy_document.a.json}'] } } },
      resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: '${data.aws_iam_policy_document.a.json}' } } },
    });
    expect(m.principals()[0].trust!.unresolved).toMatch(/refers to itself/);
  });
});

describe('JSON documents with references inside their strings', () => {
  it('reads them as JSON, keeping the references as scoped strings', () => {
    const m = modelOf({
      resource: {
        aws_cloudwatch_log_group: { g: { name: '/x' } },
        aws_iam_role: { r: { name: 'r', assume_role_policy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}' } },
        aws_iam_role_policy: {
          p: { role: 'r', policy: '{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":"${aws_cloudwatch_log_group.g.arn}:*"}]}' },
          q: { role: 'r', policy: '{"Statement": ${var.statements}}' },
        },
      },
    });
    const [p] = m.principals();
    const logs = p.policies.find((v) => v.name === 'aws_iam_role_policy.p')!;
    expect(logs.document!.statements[0]).toMatchObject({ sid: 'Logs', resources: ['${aws_cloudwatch_log_group.g.arn}:*'] });
    expect(m.resolve('test', logs.document!.statements[0].resources![0])!.address).toBe('aws_cloudwatch_log_group.g');
    expect(p.policies.find((v) => v.name === 'aws_iam_role_policy.q')!.unresolved).toMatch(/cannot be evaluated/);
  });
});

describe('reading each document once', () => {
  const trust = '{"Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
  const m = modelOf({
    resource: {
      aws_iam_role: { a: { name: 'a', assume_role_policy: trust }, b: { name: 'b', assume_role_policy: `  ${trust}\n` }, c: { name: 'c', assume_role_policy: 'nope' }, d: { name: 'd', assume_role_policy: 'nope' } },
      aws_iam_policy: { p: { name: 'shared', policy: '{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}' }, q: { name: 'other', arn: 'arn:aws:iam::1:policy/other', policy: '{"Statement":[]}' } },
      aws_iam_role_policy_attachment: {
        byarn: { role: '${aws_iam_role.a.name}', policy_arn: 'arn:aws:iam::123456789012:policy/team/shared' },
        wrongarn: { role: '${aws_iam_role.a.name}', policy_arn: 'arn:aws:iam::2:policy/other' },
        either: { role: '${var.flag ? aws_iam_role.c.name : aws_iam_role.d.name}', policy_arn: 'arn:${data.aws_partition.p.partition}:iam::aws:policy/ReadOnlyAccess' },
      },
    },
  });
  const byAddr = Object.fromEntries(m.principals().map((p) => [p.node.address, p]));

  it('shares one normalised document between principals with the same policy text (whitespace aside), and the same reason when it cannot be read', () => {
    const a = byAddr['aws_iam_role.a'].trust!;
    const b = byAddr['aws_iam_role.b'].trust!;
    expect(a.document).toBeDefined();
    expect(b.document).toBe(a.document);
    expect(a.source!.address).toBe('aws_iam_role.a');
    expect(b.source!.address).toBe('aws_iam_role.b');
    expect(byAddr['aws_iam_role.c'].trust!.unresolved).toMatch(/not valid JSON/);
    expect(byAddr['aws_iam_role.d'].trust!.unresolved).toBe(byAddr['aws_iam_role.c'].trust!.unresolved);
  });

  it('finds a customer-managed policy by the name in a literal ARN, honouring a known arn', () => {
    const names = byAddr['aws_iam_role.a'].policies.map((p) => [p.name, p.document ? 'doc' : p.unresolved]);
    expect(names).toEqual([
      ['aws_iam_policy.p', 'doc'],
      ['arn:aws:iam::2:policy/other', 'a customer-managed policy defined outside this configuration'],
    ]);
  });

  it('attaches to every principal a value with several references names, and reads a partition reference in an AWS-managed ARN as aws', () => {
    for (const r of ['aws_iam_role.c', 'aws_iam_role.d']) {
      expect(byAddr[r].policies.map((p) => [p.kind, p.name])).toEqual([['aws-managed', 'arn:aws:iam::aws:policy/ReadOnlyAccess']]);
    }
  });
});

describe('statement keys and conditions', () => {
  it('reads keys in any case, preferring the exact spelling', () => {
    const d = normaliseJsonPolicy({ statement: [{ effect: 'allow', action: 's3:GetObject', RESOURCE: '*', Action: 's3:PutObject', sid: 'x' }] });
    expect(d.statements[0]).toEqual({ effect: 'Allow', sid: 'x', actions: ['s3:PutObject'], resources: ['*'], conditions: {} });
  });
  it('gives statements without conditions an empty, frozen, prototype-free conditions object', () => {
    const d = normaliseJsonPolicy({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: {} }] });
    for (const s of d.statements) {
      expect(Object.keys(s.conditions)).toEqual([]);
      expect(Object.getPrototypeOf(s.conditions)).toBeNull();
      expect(Object.isFrozen(s.conditions)).toBe(true);
    }
  });
  it('keeps __proto__ as an ordinary condition operator and key', () => {
    const d = normaliseJsonPolicy(JSON.parse('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"__proto__":{"__proto__":"x"}}}}'));
    const c = d.statements[0].conditions as Record<string, Record<string, readonly string[]>>;
    expect(Object.keys(c)).toEqual(['__proto__']);
    expect(Object.keys(c['__proto__'])).toEqual(['__proto__']);
    expect(c['__proto__']['__proto__']).toEqual(['x']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
  it('lists unknown parts per statement, each statement its own list', () => {
    const d = normaliseJsonPolicy({ Statement: [{ Effect: new Unknown('e'), Action: ['s3:GetObject', new Unknown('a')], Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: [new Unknown('r')] }] });
    expect(d.statements[0].unknowns).toEqual([
      { field: 'effect', reason: 'Effect is e' },
      { field: 'actions', reason: 'a' },
    ]);
    expect(d.statements[1].unknowns).toBeUndefined();
    expect(d.statements[2].unknowns).toEqual([{ field: 'resources', reason: 'r' }]);
  });
});

describe('plain references', () => {
  it('are exactly the values holding one traversal and nothing else, with its attribute', () => {
    expect(plainReferenceAttr('${aws_iam_role.r.name}')).toBe('name');
    expect(plainReferenceAttr('${aws_iam_role.r[0].arn.x}')).toBe('arn');
    expect(plainReferenceAttr('${data.aws_iam_policy_document.d.json}')).toBe('json');
    expect(plainReferenceAttr('${aws_iam_role.r}')).toBe('');
    for (const s of ['${var.x}', '${module.m.aws_x.y}', '${aws_iam_role.r[*].arn}', '${aws_iam_role.r.*.arn}', '${ aws_iam_role.r.name }', '${aws_iam_role.r.name}/*', '${aws_a.b}${aws_c.d}', '${x ? aws_a.b : aws_c.d}']) {
      expect(plainReferenceAttr(s)).toBeUndefined();
    }
  });

  it('agree with the traversal scanner on generated strings', () => {
    const alphabet = ['aws_b.c', 'data.', 'data.aws_d.e', 'x_y', 'a', '_', '.', '.arn', '.name', '-', '[', ']', '[0]', '["k"]', '["{"]', '"', '[*]', '.*', '*', '7', '$', '${', '}', '{', ' ', '(', ','];
    let plain = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), (parts) => {
        const s = '${' + parts.join('') + '}';
        const attr = plainReferenceAttr(s);
        if (attr === undefined) return;
        plain++;
        // What resolveValue did before it had this shortcut: the whole value one `${…}`, holding one traversal.
        expect(/^\$\{\s*([^{}]*?)\s*\}$/.exec(s)?.[1]).toBe(s.slice(2, -1));
        const t = traversals(s);
        expect(t).toHaveLength(1);
        expect(t[0].attr ?? '').toBe(attr);
      }),
      { numRuns: 5000 },
    );
    // Enough generated values were plain references for the property to mean something (about 65
    // of 5000 on average; the bound leaves room for the random draw, which fell under 50 at times).
    expect(plain).toBeGreaterThan(20);
  });

  // The pattern the views matched with before `singleTraversal` read it by hand: the oracle.
  const REFERENCE_ATTR = /^\$\{(?:data\.)?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"[^"\]{}]*")\])?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?(?:\.[A-Za-z_][A-Za-z0-9_-]*)*\}$/;

  it('are what the old pattern matched, with the offsets the scanner finds', () => {
    const pick = (...xs: string[]) => fc.constantFrom(...xs);
    // Near-references: each part mostly what a reference holds, now and then what it must not.
    const part = (valid: string[], invalid: string[]) => fc.oneof({ arbitrary: pick(...valid), weight: 6 }, { arbitrary: pick(...invalid), weight: 1 });
    const nearReference = fc
      .tuple(
        part(['${'], ['$', '{', '${ ', '']),
        part(['', 'data.'], ['data', 'module.m.', 'var.']),
        part(['aws_b', 'aws_iam_role', 'x_y', 'Z9_'], ['a', '_x', 'a9_b-c', 'é_a']),
        part(['.'], ['', '..', '-']),
        part(['r', 'c-1', '_n', 'R_2'], ['9', '', '-']),
        part(['', '[0]', '[12]', '["k"]', '[""]'], ['["{"]', '["}"]', '["a]', '["a"b"]', '[*]', '.*', '[x]', '[0', '[]']),
        fc.array(part(['.arn', '.name', '.n-1', '._'], ['.', '.9', '.*', '[0]', ' ', '.é']), { maxLength: 3 }),
        part(['}'], ['}}', '', '} ', ' }', '}x', '}\n']),
      )
      .map((parts) => parts[0] + parts[1] + parts[2] + parts[3] + parts[4] + parts[5] + parts[6].join('') + parts[7]);
    const alphabet = ['aws_b.c', 'data.', 'data.aws_d.e', 'x_y', 'a', '_', '.', '.arn', '.name', '-', '[', ']', '[0]', '["k"]', '["{"]', '"', '[*]', '.*', '*', '7', '$', '${', '}', '{', ' ', '(', ','];
    const anyString = fc.tuple(pick('${', '$', ''), fc.array(pick(...alphabet), { maxLength: 10 }), pick('}', '')).map(([a, b, c]) => a + b.join('') + c);
    const offsets: number[] = [];
    const scanned: number[] = [];
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(nearReference, anyString), (s) => {
        const m = REFERENCE_ATTR.exec(s);
        const single = singleTraversal(s, offsets);
        expect(single).toBe(m !== null);
        expect(plainReferenceAttr(s)).toBe(m ? (m[1] ?? '') : undefined);
        if (!single) return;
        plain++;
        // The offsets are the scanner's for the value's one traversal (what Model.resolve reads).
        expect(scanTraversalOffsets(s, scanned)).toBe(TRAVERSAL_STRIDE);
        expect(offsets.slice(0, TRAVERSAL_STRIDE)).toEqual(scanned.slice(0, TRAVERSAL_STRIDE));
      }),
      { numRuns: 10000 },
    );
    // Enough of the values were references (about a quarter) for the property to mean something.
    expect(plain).toBeGreaterThan(1000);
  });
});
