import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { attachedTo, managed } from '../lib/links';
import { flag } from '../lib/values';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** Flags the account-level public access blocks of each stack turn on for every bucket in it. */
function accountFlagsByStack(nodes: readonly ResourceNode[]): Map<string, Set<string>> {
  const byStack = new Map<string, Set<string>>();
  for (const n of nodes) {
    let on = byStack.get(n.stack);
    if (on === undefined) byStack.set(n.stack, (on = new Set()));
    for (const f of FLAGS) if (flag(n.values[f], false) === true) on.add(f);
  }
  return byStack;
}
const NO_FLAGS: ReadonlySet<string> = new Set();

/** The blocks that leave flag `f` off (not true). */
function leavingOff(blocks: readonly ResourceNode[], f: string): ResourceNode[] | undefined {
  let off: ResourceNode[] | undefined;
  for (let i = 0; i < blocks.length; i++) if (flag(blocks[i].values[f], false) === false) (off ??= []).push(blocks[i]);
  return off;
}

export const rule: Rule = {
  id: 'encryption/s3-public-access-block',
  title: 'S3 bucket blocks all four kinds of public access',
  category: 'encryption',
  severity: 'high',
  rationale:
    'Block Public Access is the guard that holds when a bucket policy or ACL is later written too widely; an artifact or state bucket made public leaks source, build output and secrets. ' +
    'Severity (ours): high for each flag an aws_s3_bucket_public_access_block leaves off (an omitted flag there defaults to false and actively turns the protection off); ' +
    'medium when the bucket has no public access block at all: S3 enables all four settings on new buckets since April 2023, but nothing in the code keeps them on.',
  remediation:
    'Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all set to true (or an aws_s3_account_public_access_block doing so for the account).',
  equivalents: { checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'], trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093', 'AVD-AWS-0094'], cdkNag: ['AwsSolutions-S2'] },
  check(model) {
    const accountFlags = accountFlagsByStack(managed(model, 'aws_s3_account_public_access_block'));
    return judgeManaged(model, 'aws_s3_bucket', judge, { model, accountFlags });
  },
};

function judge(bucket: ResourceNode, results: RuleResult[], { model, accountFlags }: { model: ResourceModel; accountFlags: Map<string, Set<string>> }): void {
  const account = accountFlags.get(bucket.stack) ?? NO_FLAGS;
  if (account.size === FLAGS.length) return;
  const blocks = attachedTo(model, bucket, 'aws_s3_bucket_public_access_block');
  if (blocks.length === 0) {
    results.push({
      node: bucket,
      severity: 'medium',
      message: 'no aws_s3_bucket_public_access_block: public access is blocked only by S3\'s default for new buckets, which nothing here enforces',
      detail: 'missing',
    });
    return;
  }
  // Several blocks for one bucket: the last applied wins, so judge each flag on every block.
  for (let i = 0; i < FLAGS.length; i++) {
    const f = FLAGS[i];
    if (account.has(f)) continue;
    const off = leavingOff(blocks, f);
    if (off !== undefined) {
      results.push({ node: bucket, message: `${f} is not true (${off.map((b) => b.address).join(', ')})`, detail: f });
    }
  }
}
