/**
 * Readable, stable Terraform addresses: the construct path below the stack joined with `_`
 * (`aws_s3_bucket.artifacts_bucket`, `aws_kms_key.key` for `key/key`) instead of cdktf's hashed ids. Construct paths are unique,
 * so the names are too; renaming a construct renames (replaces) its resource, as in cdktf.
 */
import type { TerraformElement } from 'cdktf';
import type { Node } from 'constructs';

export function readableLogicalId(element: TerraformElement | Node): string {
  const node = 'scopes' in element ? element : element.node;
  // scopes: [app, stack, ...constructs below the stack]
  // A construct's main resource usually shares its id (`key/key`): name it once.
  const parts = node.scopes
    .slice(2)
    .map((s) => s.node.id)
    .filter((id, i, all) => i === 0 || id !== all[i - 1]);
  return parts.join('_').replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
}
