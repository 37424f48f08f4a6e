import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';
import { mentionsSecret } from '../lib/names';
import { isDeferred, literal } from '../lib/values';

/** The parameter's literal name and description, space-separated (the text that may say it holds a secret). */
function describedAs(name: unknown, description: unknown): string {
  const n = literal(name);
  const d = literal(description);
  return n && d ? `${n} ${d}` : n || d || '';
}

export const rule: Rule = {
  id: 'encryption/ssm-parameter-secure-string',
  title: 'SSM parameters that hold secrets are SecureString, encrypted with a customer-managed key',
  category: 'encryption',
  severity: 'high',
  rationale:
    'String and StringList parameters are stored and returned unencrypted, to anyone with ssm:GetParameter, and their value lands in Terraform state and plans. A parameter whose name or description says password, secret, token or key must be a SecureString. ' +
    'Severity (ours): high for a secret held in a String/StringList; low for a SecureString without key_id (it uses the AWS-managed aws/ssm key).',
  remediation: 'Set type = "SecureString" and key_id = <aws_kms_key ARN> on the aws_ssm_parameter (or move the secret to Secrets Manager), and rotate the value that was stored in plain text.',
  equivalents: { checkov: ['CKV2_AWS_34', 'CKV_AWS_337'] },
  check(model) {
    return judgeManaged(model, 'aws_ssm_parameter', judge, model);
  },
};

function judge(param: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const type = param.values.type;
  if (isDeferred(type)) return;
  if (literal(type) !== 'SecureString') {
    if (mentionsSecret(describedAs(param.values.name, param.values.description))) {
      results.push({ node: param, message: `parameter ${literal(param.values.name) ?? param.address} looks like a secret but is a ${literal(type) ?? 'String'}, stored unencrypted`, detail: 'type' });
    }
    return;
  }
  const key = keyKind(model, param, param.values.key_id);
  if (key.kind === 'missing' || key.kind === 'aws-managed') {
    results.push({ node: param, severity: 'low', message: `SecureString ${key.kind === 'missing' ? 'with no key_id' : `with ${key.shown}`}: encrypted with the AWS-managed aws/ssm key`, detail: 'key_id' });
  }
}
