/**
 * Terraform JSON shapes for IAM rule tests: a role with a trust policy and an inline policy,
 * written the way cdktf writes them (`${jsonencode({...})}`), plus aws_iam_policy_document data
 * sources, customer-managed policies and managed-policy attachments.
 */
import type { RuleResult } from '../../policies/rule';
import { IAM_RULES } from '../../policies/iam';
import { modelOf } from '../support/model';
import { ctxFor } from '../support/context';

export type Statement = Record<string, unknown>;

/** cdktf's form of a policy attribute: a jsonencode() call around an HCL object (JSON object syntax is valid HCL). */
export function jsonencode(doc: unknown): string {
  return '${jsonencode(' + JSON.stringify(doc) + ')}';
}

export function policy(...statements: Statement[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

export const CODEBUILD_TRUST = policy({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Principal: { Service: 'codebuild.amazonaws.com' },
  Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
});

/** Resources most tests reference. */
export const TARGETS = {
  aws_s3_bucket: { artifacts: { bucket: 'artifacts' } },
  aws_dynamodb_table: { locks: { name: 'locks', hash_key: 'LockID', attribute: [{ name: 'LockID', type: 'S' }] } },
  aws_cloudwatch_log_group: { build: { name: '/aws/codebuild/app' } },
  aws_kms_key: { k: { enable_key_rotation: true } },
  aws_codebuild_project: { build: { name: 'app' } },
};

/** A role `aws_iam_role.r` with an inline policy `aws_iam_role_policy.p` holding `statements`. */
export function roleWithInline(statements: Statement[], opts: { trust?: unknown; extra?: Record<string, unknown> } = {}): object {
  return {
    resource: {
      ...TARGETS,
      aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(opts.trust ?? CODEBUILD_TRUST) } },
      aws_iam_role_policy: { p: { name: 'p', role: '${aws_iam_role.r.id}', policy: jsonencode(policy(...statements)) } },
      ...(opts.extra ?? {}),
    },
  };
}

/** A role whose trust policy is `trust`, with no permissions. */
export function roleWithTrust(trust: unknown): object {
  return { resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: jsonencode(trust) } } } };
}

export function run(ruleId: string, tfJson: object): readonly RuleResult[] {
  const rule = IAM_RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(modelOf(tfJson), ctxFor());
}

/** Results as `address detail severity` lines, for compact assertions. */
export function summary(ruleId: string, tfJson: object): string[] {
  const rule = IAM_RULES.find((r) => r.id === ruleId)!;
  return run(ruleId, tfJson).map((r) => `${r.node.address} ${r.detail ?? '-'} ${r.severity ?? rule.severity}`);
}
