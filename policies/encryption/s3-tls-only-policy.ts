import type { PolicyView, ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { attachedTo } from '../lib/links';
import { isWildcardPrincipal, policiesOn, someConditionValue } from '../lib/policies';
import { isUnknown, lowerCaseEquals } from '../lib/values';

/** Deny, to everyone, any S3 action when aws:SecureTransport is false. */
function deniesInsecureTransport(p: PolicyView): boolean {
  const statements = p.document?.statements;
  if (statements === undefined) return false;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s.effect !== 'Deny' || !isWildcardPrincipal(s)) continue;
    const coversS3 = coversAllS3(s.actions) || (s.notActions !== undefined && s.notActions.length === 0);
    if (coversS3 && someConditionValue(s, BOOL, 'aws:securetransport', isFalse)) return true;
  }
  return false;
}

const BOOL = /^Bool(IfExists)?$/i;
const isFalse = (v: string): boolean => lowerCaseEquals(v, 'false');

/** `*` or `s3:*` (any case) among the actions. */
function coversAllS3(actions: readonly string[] | undefined): boolean {
  if (actions === undefined) return false;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a === '*' || lowerCaseEquals(a, 's3:*')) return true;
  }
  return false;
}

export const rule: Rule = {
  id: 'encryption/s3-tls-only-policy',
  title: 'S3 bucket policy refuses requests that do not use TLS',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'S3 accepts plain HTTP unless the bucket policy denies it; a Deny on aws:SecureTransport = false makes every client, SDK and tool use TLS, so artifacts and state are never sent in clear text. ' +
    'Severity (ours): medium — exploiting it needs a client misconfigured to use HTTP and a network position on its path; info when the bucket policy could not be resolved.',
  remediation:
    'Add an aws_s3_bucket_policy with a statement: Effect Deny, Principal "*", Action "s3:*", Resource the bucket ARN and "<bucket ARN>/*", Condition Bool aws:SecureTransport = "false".',
  equivalents: { cdkNag: ['AwsSolutions-S10'] },
  check(model) {
    return judgeManaged(model, 'aws_s3_bucket', judge, model);
  },
};

function judge(bucket: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const sources = attachedTo(model, bucket, 'aws_s3_bucket_policy');
  const found = policiesOn(model, bucket, sources);
  // In a plan, the legacy inline `policy` of aws_s3_bucket is computed (unknown) when not set: not a policy.
  const inlineUnknown = isUnknown(bucket.values.policy);
  for (let i = 0; i < found.length; i++) {
    const p = found[i];
    if (!(inlineUnknown && p.source === bucket) && deniesInsecureTransport(p)) return;
  }
  const policies = inlineUnknown ? found.filter((p) => p.source !== bucket) : found;
  const unresolved = policies.filter((p) => !p.document);
  if (policies.length === 0 && sources.length > 0) {
    results.push({ node: bucket, severity: 'info', message: `cannot tell whether the bucket policy (${sources.map((s) => s.address).join(', ')}) refuses non-TLS requests: its document was not read`, detail: 'unresolved' });
    return;
  }
  if (unresolved.length > 0) {
    results.push({
      node: bucket,
      severity: 'info',
      message: `cannot tell whether the bucket policy refuses non-TLS requests: ${unresolved.map((p) => `${p.name} (${p.unresolved ?? 'not resolved'})`).join('; ')}`,
      detail: 'unresolved',
    });
    return;
  }
  const sourceNames = sources.length > 0 ? sources.map((s) => s.address).join(', ') : '';
  results.push({
    node: bucket,
    message: policies.length === 0 && sources.length === 0
      ? 'no bucket policy, so requests over plain HTTP are accepted'
      : `the bucket policy${sourceNames ? ` (${sourceNames})` : ''} has no Deny for aws:SecureTransport = false, so requests over plain HTTP are accepted`,
  });
}
