/**
 * The shared rule helpers in policies/lib (and the quota size helper) that were rewritten to
 * allocate less: each is checked against the straightforward form it replaces.
 */
import { attached, attachedTo, pointsTo } from '../../policies/lib/links';
import { isAwsCredentialName, isSecretName, suggestsProduction, words } from '../../policies/lib/names';
import { conditionValues, isWildcardPrincipal, policiesOf, policiesOn, someConditionValue } from '../../policies/lib/policies';
import { block, blockCount, blockItems, blocks, hasString, lowerCaseEquals, strings } from '../../policies/lib/values';
import { policyChars, policyCharsAtMost } from '../../policies/quota/lib/size';
import type { PolicyStatement } from '../../auditor/model/types';
import { Unknown } from '../../auditor/model/types';
import { modelOf } from '../support/model';

describe('values: block, blockCount, lowerCaseEquals', () => {
  const shapes: unknown[] = [undefined, null, 'x', 3, [], [1, 'a'], [1, { a: 1 }, { b: 2 }], { a: 1 }, [[{ a: 1 }], { c: 3 }], new Unknown(), [new Unknown(), { d: 4 }]];
  it('block is the first item blocks lists, blockCount how many it lists, blockItems the same items', () => {
    for (const v of shapes) {
      expect(block(v)).toBe(blocks(v)[0]);
      expect(blockCount(v)).toBe(blocks(v).length);
      expect([...blockItems(v)]).toEqual(blocks(v));
    }
    const list = [{ a: 1 }, { b: 2 }];
    expect(blockItems(list)).toBe(list); // read in place, not copied
    expect(blocks(list)).not.toBe(list);
  });

  it('hasString is strings(v).includes(s)', () => {
    for (const v of [...shapes, ['A', 'B'], ['A', 1, null], 'A', 'B']) {
      for (const s of ['A', 'B', '1']) expect(hasString(v, s)).toBe(strings(v).includes(s));
    }
  });

  it('lowerCaseEquals agrees with toLowerCase() ===, ASCII or not', () => {
    const cases: [string, string][] = [
      ['LINUX_CONTAINER', 'linux_container'],
      ['Linux_Container', 'linux_container'],
      ['LINUX_CONTAINEr', 'linux_containe'],
      ['S3:*', 's3:*'],
      ['s3:GetObject', 's3:*'],
      ['', ''],
      ['@[`{', '@[`{'],
      ['ÄBC', 'äbc'],
      ['İ', 'i̇'], // one character that lower-cases to two
      ['İx', 'ix'],
      ['xİ', 'xi'],
      ['ΣΑ', 'σα'],
      ['FALSE', 'false'],
      ['False ', 'false'],
    ];
    for (const [a, lower] of cases) expect([a, lower, lowerCaseEquals(a, lower)]).toEqual([a, lower, a.toLowerCase() === lower]);
  });
});

describe('names: suggestsProduction', () => {
  const reference = (text: string) => words(text).some((w) => ['prod', 'production', 'prd', 'live'].includes(w));
  it('answers as the word split does, also when the quick pre-check says no', () => {
    const texts = ['prod', 'Prod', 'PRODUCTION', 'deployProd', 'appProdDeploy', 'preprod', 'pre-prod', 'non_production', 'NonProd-x', 'prd', 'Live', 'deliver', 'olive',
      'approval', 'products', 'Deploy', 'app12-prod', 'lİve', 'lıve', 'PRD-eu', 'stage', '', 'pr od', 'p-r-o-d', 'go-live', 'prodİ', 'İprod'];
    for (const t of texts) expect([t, suggestsProduction(t)]).toEqual([t, reference(t)]);
  });
});

describe('names: credential and secret names', () => {
  const credential = (name: string) => {
    const n = name.trim().toUpperCase();
    return ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'].includes(n) || /(^|_)(SECRET_ACCESS_KEY|ACCESS_KEY_ID)$/.test(n);
  };
  const secret = (name: string) => {
    const n = name.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    return /(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?SECRET)/.test(n) && !/_(ARN|NAME|ID|PATH|PARAM|PARAMETER|PARAMETER_NAME|SECRET_ID|URL|URI|FILE|REF|KEY_ID|TTL|EXPIRY|LENGTH)$/.test(n);
  };
  it('answer as before the quick pre-checks, ASCII or not', () => {
    const names = ['STAGE', 'aws_access_key_id', ' AWS_SESSION_TOKEN ', 'MY_SECRET_ACCESS_KEY', 'db-password', 'DB_PASSWORD_ARN', 'api key', 'apiKey', 'pass word', 'Pwd', 'client.secret',
      'credentials', 'TOKEN_PARAMETER_NAME', 'monkey', 'aws_ſession_token', 'AWS_SESSION_TOKEN\u00a0', 'ﬀ_KEY', 'aws_access_key_ıd', 'tokén', ''];
    for (const n of names) {
      expect([n, isAwsCredentialName(n)]).toEqual([n, credential(n)]);
      expect([n, isSecretName(n)]).toEqual([n, secret(n)]);
    }
  });
});

describe('policies: statement helpers', () => {
  const st = (s: Partial<PolicyStatement>): PolicyStatement => ({ effect: 'Deny', conditions: {}, ...s });
  it('someConditionValue is conditionValues(...).some(...)', () => {
    const statements = [
      st({ conditions: { Bool: { 'aws:SecureTransport': ['false'] } } }),
      st({ conditions: { BoolIfExists: { 'AWS:securetransport': ['FALSE'] } } }),
      st({ conditions: { bool: { 'aws:SecureTransport': ['true', 'False'] } } }),
      st({ conditions: { StringEquals: { 'aws:SecureTransport': ['false'] } } }),
      st({ conditions: { Bool: { 'aws:PrincipalIsAWSService': ['false'] } } }),
      st({ conditions: {} }),
    ];
    const op = /^Bool(IfExists)?$/i;
    const isFalse = (v: string) => v.toLowerCase() === 'false';
    for (const s of statements) {
      expect(someConditionValue(s, op, 'aws:securetransport', isFalse)).toBe(conditionValues(s, op, 'aws:SecureTransport').some(isFalse));
    }
  });

  it('isWildcardPrincipal: AWS or CanonicalUser "*"', () => {
    expect(isWildcardPrincipal(st({ principal: { AWS: ['arn:x', '*'] } }))).toBe(true);
    expect(isWildcardPrincipal(st({ principal: { CanonicalUser: ['*'] } }))).toBe(true);
    expect(isWildcardPrincipal(st({ principal: { Service: ['*'] } }))).toBe(false);
    expect(isWildcardPrincipal(st({}))).toBe(false);
  });
});

describe('links', () => {
  const model = modelOf({
    resource: {
      aws_kms_key: { k: {} },
      aws_s3_bucket: { b: { bucket: 'named' } },
      aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.b.id}', policy: '{}' } },
    },
  });
  it('attachedTo lists what attached lists; attached still hands out a fresh array', () => {
    const bucket = model.get('test', 'aws_s3_bucket.b')!;
    const key = model.get('test', 'aws_kms_key.k')!;
    expect(attachedTo(model, bucket, 'aws_s3_bucket_policy')).toEqual(attached(model, bucket, 'aws_s3_bucket_policy'));
    expect(attachedTo(model, key, 'aws_s3_bucket_policy')).toHaveLength(0);
    const a = attached(model, key, 'aws_s3_bucket_policy');
    a.push(bucket);
    expect(attached(model, key, 'aws_s3_bucket_policy')).toEqual([]);
    const sources = [model.get('test', 'aws_s3_bucket_policy.p')!];
    expect(policiesOn(model, key)).toEqual(policiesOf(model, key));
    expect(policiesOn(model, bucket, sources)).toEqual(policiesOf(model, bucket, sources));
  });

  it('pointsTo still follows references and literal names', () => {
    const bucket = model.get('test', 'aws_s3_bucket.b')!;
    expect(pointsTo(model, 'test', '${aws_s3_bucket.b.id}', bucket, ['bucket'])).toBe(true);
    expect(pointsTo(model, 'test', 'named', bucket, ['bucket'])).toBe(true);
    expect(pointsTo(model, 'test', '${aws_kms_key.k.arn}', bucket, ['bucket'])).toBe(false);
    expect(policiesOf(model, bucket, [model.get('test', 'aws_s3_bucket_policy.p')!])).toHaveLength(1);
  });
});

describe('quota size: policyChars', () => {
  const reference = (value: unknown): number | undefined => {
    if (typeof value !== 'string' || value.includes('${')) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    return JSON.stringify(parsed).replace(/\s/g, '').length;
  };
  it('counts what JSON.stringify writes, white space left out, without writing it', () => {
    const docs = [
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }, null, 2),
      '{"a": "with spaces\\tand\\ttabs\\n", "b": [1.0, 2E3, -0, 1e999, true, false, null], "c": {}}',
      '{"a":1,"a":"the last duplicate wins"}',
      '{"__proto__": {"x": 1}, "\\u0041": "\\u00a0\\u2028\\u3000\\ufeff\\u180e"}',
      '{"q": "quote \\" backslash \\\\ control \\u0001 \\b\\f\\r lone \\ud800 pair \\ud83d\\ude00 end \\udc00"}',
      '[["deep", [[]]], {"2": "integer keys", "1": "come first"}]',
      '"a string"',
      '42',
      'not json',
      '${jsonencode(x)}',
      '[' .repeat(100) + ']'.repeat(100),
    ];
    for (const d of docs) expect([d.slice(0, 30), policyChars(d)]).toEqual([d.slice(0, 30), reference(d)]);
    expect(policyChars(undefined)).toBeUndefined();
  });

  it('policyCharsAtMost never says less than policyChars, numbers written out in full and escapes included', () => {
    const docs = [
      '{"n": [1e20, -9E+20, 1e-6, 1.5e-7, 12e20, 1e400, 0e5, 100000000000000000000000]}',
      '{"s": "\\ud800 lone, pair \\ud83d\\ude00 raw: \ud83d\ude00 and \udc00", "t": "\\u0041\\u00e9\\t"}',
      '{ "a" : [ 1 , 2 ] ,\n "b" : "x y\u00a0z" }',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b-1e5/*' }] }, null, 2),
      'not json',
    ];
    for (const d of docs) {
      const exact = policyChars(d);
      const most = policyCharsAtMost(d);
      expect(most).toBeDefined();
      if (exact !== undefined) expect([d.slice(0, 30), most! >= exact]).toEqual([d.slice(0, 30), true]);
    }
    expect(policyChars(docs[0])).toBeGreaterThan(40); // the exponents were written out
    expect(policyCharsAtMost('${jsonencode(x)}')).toBeUndefined();
    expect(policyCharsAtMost(42)).toBeUndefined();
  });
});
