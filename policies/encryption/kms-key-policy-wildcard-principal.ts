import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { attachedTo } from '../lib/links';
import { hasLimitingCondition, isWildcardPrincipal, policiesOn } from '../lib/policies';
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
    return judgeManaged(model, 'aws_kms_key', judge, model);
  },
};

const KEY_NAMES: readonly string[] = Object.freeze(['key_id', 'id', 'arn']);

function judge(key: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const sources = attachedTo(model, key, 'aws_kms_key_policy', 'key_id', KEY_NAMES);
  const policies = policiesOn(model, key, sources);
  if (policies.length === 0) return;
  // In a plan, a key without a `policy` argument shows it as unknown (AWS applies its default key policy): nothing to judge.
  const inlineUnknown = isUnknown(key.values.policy);
  for (const policy of policies) {
    if (inlineUnknown && policy.source === key) continue;
    if (!policy.document) {
      results.push({ node: key, severity: 'info', message: `cannot check the key policy ${policy.name}: ${policy.unresolved ?? 'not resolved'}`, detail: 'unresolved' });
      continue;
    }
    const statements = policy.document.statements;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (s.effect !== 'Allow' || !isWildcardPrincipal(s) || hasLimitingCondition(s)) continue;
      const label = s.sid ? `statement "${s.sid}"` : `statement ${i + 1}`;
      const actions = (s.actions ?? []).join(', ') || (s.notActions ? `all but ${s.notActions.join(', ')}` : 'no actions');
      results.push({ node: key, message: `${label} of ${policy.name} allows Principal "*" (${actions}) with no condition limiting the caller`, detail: s.sid ?? String(i + 1) });
    }
  }
}
