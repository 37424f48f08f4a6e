import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';

export const rule: Rule = {
  id: 'encryption/sns-topic-customer-key',
  title: 'SNS topic is encrypted with a customer-managed KMS key',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'SNS topics are not encrypted at rest unless kms_master_key_id is set. The AWS-managed alias/aws/sns key encrypts, but its policy cannot be edited, so services such as EventBridge and CodeStar Notifications cannot publish to the topic. ' +
    'Severity (ours): medium when the topic is unencrypted; low when it uses alias/aws/sns.',
  remediation: 'Set kms_master_key_id on the aws_sns_topic to an aws_kms_key you manage whose policy lets the publishing services use it (kms:GenerateDataKey*, kms:Decrypt).',
  equivalents: { checkov: ['CKV_AWS_26'], trivy: ['AVD-AWS-0095', 'AVD-AWS-0136'], cdkNag: ['AwsSolutions-SNS2'] },
  check(model) {
    return judgeManaged(model, 'aws_sns_topic', judge, model);
  },
};

function judge(topic: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const key = keyKind(model, topic, topic.values.kms_master_key_id);
  if (key.kind === 'missing') results.push({ node: topic, message: 'no kms_master_key_id: messages are not encrypted at rest' });
  else if (key.kind === 'aws-managed') results.push({ node: topic, severity: 'low', message: `uses the AWS-managed key ${key.shown}, whose policy other services cannot be granted` });
}
