import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { backendValues } from '../lib/backend';
import { judgeManaged } from '../lib/judge';
import { bucketRole, versioning } from '../lib/s3';

export const rule: Rule = {
  id: 'reliability/s3-bucket-versioning',
  title: 'Artifact and Terraform state buckets keep object versions',
  category: 'reliability',
  severity: 'high',
  rationale:
    'Versioning is what lets you recover a Terraform state file that a bad apply, a bug or a person overwrote or deleted, and roll a release back to the exact artifact it shipped; an S3 source action also requires it. ' +
    'Only buckets used as a Terraform backend, a CodePipeline artifact store or S3 source, a CodeBuild artifact location, or named for state or artifacts are judged. ' +
    'Severity (ours): high for a state bucket (losing state orphans every resource it tracked), medium for an artifact bucket.',
  remediation: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }, plus a lifecycle rule expiring noncurrent versions after a retention period.',
  equivalents: { checkov: ['CKV_AWS_21'], trivy: ['AVD-AWS-0090'] },
  check(model) {
    return judgeManaged(model, 'aws_s3_bucket', judge, { model, stateBuckets: backendValues(model, 's3', 'bucket') });
  },
};

function judge(bucket: ResourceNode, results: RuleResult[], { model, stateBuckets }: { model: ResourceModel; stateBuckets: ReadonlySet<string> }): void {
  // Most buckets keep versions: what a bucket holds is only worked out for one that does not.
  const v = versioning(model, bucket);
  if (v.state !== 'off') return;
  const role = bucketRole(model, bucket, stateBuckets);
  if (!role) return;
  results.push({
    node: bucket,
    severity: role.role === 'state' ? 'high' : 'medium',
    message: `versioning is not enabled (${v.why}), yet ${role.why}`,
    detail: role.role,
  });
}
