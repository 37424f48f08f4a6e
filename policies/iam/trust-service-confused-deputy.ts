import type { Rule, RuleResult } from '../rule';
import { documents } from './lib/analysis';
import { hasConditionKey } from './lib/trust';

const SOURCE_KEYS = ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths'];

/** A service principal trusted without aws:SourceAccount / aws:SourceArn: the confused-deputy gap. */
export const rule: Rule = {
  id: 'iam/trust-service-confused-deputy',
  title: 'Service trust without aws:SourceAccount or aws:SourceArn',
  category: 'iam',
  severity: 'low',
  rationale:
    'A trust policy that names a service (codebuild.amazonaws.com) but no source lets that service assume the role on behalf of any caller, including a resource in another account (the "confused deputy"). AWS recommends the aws:SourceAccount / aws:SourceArn condition keys.',
  remediation:
    'Add a condition such as `StringEquals: { "aws:SourceAccount": "<account id>" }` and, where the service supports it, `ArnLike: { "aws:SourceArn": "<project/pipeline ARN>" }`.',
  check(model) {
    const out: RuleResult[] = [];
    // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
    const trust = documents(model).trust;
    for (let d = 0; d < trust.length; d++) {
      const doc = trust[d];
      const statements = doc.document.statements;
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        const services = s.principal?.Service;
        if (s.effect !== 'Allow' || !services || hasConditionKey(s, SOURCE_KEYS)) continue;
        for (let k = 0; k < services.length; k++) {
          const service = services[k];
          out.push({
            node: doc.node,
            detail: service,
            message: `${doc.node.address} trust policy statement ${s.sid ? `"${s.sid}"` : `#${i + 1}`} trusts ${service} without aws:SourceAccount or aws:SourceArn`,
          });
        }
      }
    }
    return out;
  },
};
