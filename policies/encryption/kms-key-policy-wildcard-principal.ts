import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { attached, managed } from '../lib/links';
import { hasLimitingCondition, isWildcardPrincipal, policiesOf } from '../lib/policies';
import { isUnknown } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/kms-key-policy-wildcard-principal',
  title: 'KMS key policy does not allow everyone',
  category: 'encryption',
  severity: 'critical',
  rationale:
    'A key policy statement that Allows Principal "*" with no condition on the caller\'s account, organisation, ARN or calling service lets any AWS principal in any account use the key as far as the listed actions go — decrypting whatever it protects. ' +
    'Severity (ours): critical; info when the key policy could not be resolved.',
  remediation:
    'Name the principals (the account root, the pipeline and build roles) instead of "*", or keep "*" only together with a condition such as kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalArn or kms:ViaService.',
  equivalents: { checkov: ['CKV_AWS_33'] },
  check(model) {
    const results: RuleResult[] = [];
    for (const key of managed(model, 'aws_kms_key')) {
      const sources: ResourceNode[] = attached(model, key, 'aws_kms_key_policy', 'key_id', ['key_id', 'id', 'arn']);
      // In a plan, a key without a `policy` argument shows it as unknown (AWS applies its default key policy): nothing to judge.
      const policies = policiesOf(model, key, sources).filter((p) => !(p.source === key && isUnknown(key.values.policy)));
      for (const policy of policies) {
        if (!policy.document) {
          results.push({ node: key, severity: 'info', message: `cannot check the key policy ${policy.name}: ${policy.unresolved ?? 'not resolved'}`, detail: 'unresolved' });
          continue;
        }
        policy.document.statements.forEach((s, i) => {
          if (s.effect !== 'Allow' || !isWildcardPrincipal(s) || hasLimitingCondition(s)) return;
          const label = s.sid ? `statement "${s.sid}"` : `statement ${i + 1}`;
          const actions = (s.actions ?? []).join(', ') || (s.notActions ? `all but ${s.notActions.join(', ')}` : 'no actions');
          results.push({ node: key, message: `${label} of ${policy.name} allows Principal "*" (${actions}) with no condition limiting the caller`, detail: s.sid ?? String(i + 1) });
        });
      }
    }
    return results;
  },
};
