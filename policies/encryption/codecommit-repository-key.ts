import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';

export const rule: Rule = {
  id: 'encryption/codecommit-repository-key',
  title: 'CodeCommit repository is encrypted with a customer-managed KMS key',
  category: 'encryption',
  severity: 'low',
  rationale:
    'CodeCommit always encrypts repositories, by default with the AWS-managed aws/codecommit key. A customer-managed key (kms_key_id) lets the key policy, not only IAM, decide who can read the source, and lets you revoke access by disabling the key. ' +
    'Severity (ours): low — the data is encrypted either way.',
  remediation: 'Set kms_key_id on the aws_codecommit_repository to an aws_kms_key you manage, and grant the roles that use the repository kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on it.',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_codecommit_repository', judge, model);
  },
};

function judge(repo: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const key = keyKind(model, repo, repo.values.kms_key_id);
  if (key.kind === 'missing') results.push({ node: repo, message: 'no kms_key_id: the repository uses the AWS-managed aws/codecommit key' });
  else if (key.kind === 'aws-managed') results.push({ node: repo, message: `kms_key_id is the AWS-managed key ${key.shown}` });
}
