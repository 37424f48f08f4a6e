import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { flag } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/kms-key-enabled',
  title: 'KMS key is not disabled',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'A disabled key cannot encrypt or decrypt: everything it protects (artifacts, state, logs, secrets) becomes unreadable, and pipelines using it fail. A key created disabled is usually a mistake or a leftover. ' +
    'Severity (ours): medium — an outage, not an exposure.',
  remediation: 'Remove is_enabled = false from the aws_kms_key (it defaults to true), or delete the key and whatever references it if it is really retired.',
  equivalents: { checkov: ['CKV_AWS_227'] },
  check(model) {
    return judgeManaged(model, 'aws_kms_key', judge, undefined);
  },
};

function judge(key: ResourceNode, results: RuleResult[]): void {
  if (flag(key.values.is_enabled, true) === false) results.push({ node: key, message: 'is_enabled = false: the key cannot be used to encrypt or decrypt' });
}
