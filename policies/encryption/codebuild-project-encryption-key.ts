import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';

export const rule: Rule = {
  id: 'encryption/codebuild-project-encryption-key',
  title: 'CodeBuild project encrypts its output with a customer-managed KMS key',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'Without encryption_key, CodeBuild encrypts build output, cache and logs in S3 with the AWS-managed aws/s3 key, whose policy lets any principal in the account with S3 access decrypt them. A customer-managed key limits who can read build output to the roles its key policy names. ' +
    'Severity (ours): medium — the data is encrypted, but access to it is not separately controlled.',
  remediation: 'Set encryption_key on the aws_codebuild_project to the ARN of an aws_kms_key you manage (rotation enabled), and grant the project\'s service role kms:Decrypt and kms:GenerateDataKey on it.',
  equivalents: { checkov: ['CKV_AWS_147'], cdkNag: ['AwsSolutions-CB4'] },
  check(model) {
    return judgeManaged(model, 'aws_codebuild_project', judge, model);
  },
};

function judge(project: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const key = keyKind(model, project, project.values.encryption_key);
  if (key.kind === 'missing') {
    results.push({ node: project, message: 'no encryption_key: build output is encrypted with the AWS-managed aws/s3 key' });
  } else if (key.kind === 'aws-managed') {
    results.push({ node: project, message: `encryption_key is the AWS-managed key ${key.shown}, not a customer-managed key` });
  }
}
