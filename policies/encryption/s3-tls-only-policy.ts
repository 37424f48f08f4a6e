import type { PolicyView } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { attached, managed } from '../lib/links';
import { conditionValues, isWildcardPrincipal, policiesOf } from '../lib/policies';
import { isUnknown } from '../lib/values';

/** Deny, to everyone, any S3 action when aws:SecureTransport is false. */
function deniesInsecureTransport(p: PolicyView): boolean {
  return (p.document?.statements ?? []).some((s) => {
    if (s.effect !== 'Deny' || !isWildcardPrincipal(s)) return false;
    const actions = s.actions ?? [];
    const coversS3 = actions.some((a) => a === '*' || a.toLowerCase() === 's3:*') || (s.notActions !== undefined && s.notActions.length === 0);
    if (!coversS3) return false;
    return conditionValues(s, /^Bool(IfExists)?$/i, 'aws:SecureTransport').some((v) => v.toLowerCase() === 'false');
  });
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
    const results: RuleResult[] = [];
    for (const bucket of managed(model, 'aws_s3_bucket')) {
      const sources = attached(model, bucket, 'aws_s3_bucket_policy');
      // In a plan, the legacy inline `policy` of aws_s3_bucket is computed (unknown) when not set: not a policy.
      const policies = policiesOf(model, bucket, sources).filter((p) => !(p.source === bucket && isUnknown(bucket.values.policy)));
      if (policies.some(deniesInsecureTransport)) continue;
      const unresolved = policies.filter((p) => !p.document);
      if (policies.length === 0 && sources.length > 0) {
        results.push({ node: bucket, severity: 'info', message: `cannot tell whether the bucket policy (${sources.map((s) => s.address).join(', ')}) refuses non-TLS requests: its document was not read`, detail: 'unresolved' });
        continue;
      }
      if (unresolved.length > 0) {
        results.push({
          node: bucket,
          severity: 'info',
          message: `cannot tell whether the bucket policy refuses non-TLS requests: ${unresolved.map((p) => `${p.name} (${p.unresolved ?? 'not resolved'})`).join('; ')}`,
          detail: 'unresolved',
        });
        continue;
      }
      const sourceNames = sources.length > 0 ? sources.map((s) => s.address).join(', ') : '';
      results.push({
        node: bucket,
        message: policies.length === 0 && sources.length === 0
          ? 'no bucket policy, so requests over plain HTTP are accepted'
          : `the bucket policy${sourceNames ? ` (${sourceNames})` : ''} has no Deny for aws:SecureTransport = false, so requests over plain HTTP are accepted`,
      });
    }
    return results;
  },
};
