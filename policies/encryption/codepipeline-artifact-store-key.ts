import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { judgeManaged } from '../lib/judge';
import { block, blockItems, literal } from '../lib/values';

export const rule: Rule = {
  id: 'encryption/codepipeline-artifact-store-key',
  title: 'CodePipeline artifact store uses a customer-managed KMS key',
  category: 'encryption',
  severity: 'medium',
  rationale:
    'Without an encryption_key, CodePipeline encrypts the artifacts it passes between stages with the AWS-managed aws/s3 key: its policy cannot be narrowed, and cross-account deployments cannot decrypt the artifacts at all. ' +
    'Severity (ours): medium — encrypted, but who may decrypt is not under your control.',
  remediation: 'Add encryption_key { id = <aws_kms_key ARN>, type = "KMS" } to every artifact_store block of the aws_codepipeline, and grant the pipeline and action roles use of that key.',
  equivalents: { checkov: ['CKV_AWS_219'] },
  check(model) {
    return judgeManaged(model, 'aws_codepipeline', judge, model);
  },
};

function judge(pipeline: ResourceNode, results: RuleResult[], model: ResourceModel): void {
  const stores = blockItems(pipeline.values.artifact_store);
  for (let i = 0; i < stores.length; i++) {
    const store = stores[i];
    const key = keyKind(model, pipeline, block(store.encryption_key)?.id);
    if (key.kind !== 'missing' && key.kind !== 'aws-managed') continue;
    const region = literal(store.region);
    const where = region ? `artifact_store (${region})` : 'artifact_store';
    if (key.kind === 'missing') results.push({ node: pipeline, message: `${where} has no encryption_key: artifacts use the AWS-managed aws/s3 key`, detail: region ?? 'artifact_store' });
    else results.push({ node: pipeline, message: `${where} uses the AWS-managed key ${key.shown}`, detail: region ?? 'artifact_store' });
  }
}
