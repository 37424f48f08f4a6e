import type { Rule, RuleResult } from '../rule';
import { keyKind } from '../lib/kms';
import { managed } from '../lib/links';
import { block, blocks, literal } from '../lib/values';

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
    const results: RuleResult[] = [];
    for (const pipeline of managed(model, 'aws_codepipeline')) {
      for (const store of blocks(pipeline.values.artifact_store)) {
        const region = literal(store.region);
        const where = region ? `artifact_store (${region})` : 'artifact_store';
        const key = keyKind(model, pipeline, block(store.encryption_key)?.id);
        if (key.kind === 'missing') results.push({ node: pipeline, message: `${where} has no encryption_key: artifacts use the AWS-managed aws/s3 key`, detail: region ?? 'artifact_store' });
        else if (key.kind === 'aws-managed') results.push({ node: pipeline, message: `${where} uses the AWS-managed key ${key.shown}`, detail: region ?? 'artifact_store' });
      }
    }
    return results;
  },
};
