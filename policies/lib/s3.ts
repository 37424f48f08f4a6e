/**
 * S3 bucket settings that live in separate resources (or in the legacy inline blocks of
 * aws_s3_bucket), gathered per bucket.
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { attached, pointsTo } from './links';
import { block, blocks, type Obj } from './values';

/** The default-encryption rules of a bucket: its aws_s3_bucket_server_side_encryption_configuration resources, else the legacy inline block. */
export function encryptionRules(model: ResourceModel, bucket: ResourceNode): { readonly source: ResourceNode; readonly rules: Obj[] }[] {
  const out = attached(model, bucket, 'aws_s3_bucket_server_side_encryption_configuration').map((c) => ({ source: c, rules: blocks(c.values.rule) }));
  const legacy = block(bucket.values.server_side_encryption_configuration);
  if (legacy) out.push({ source: bucket, rules: blocks(legacy.rule) });
  return out;
}


export type VersioningState =
  | { readonly state: 'enabled' }
  | { readonly state: 'unknown' }
  | { readonly state: 'off'; readonly why: string };

/** Whether a bucket keeps object versions: an aws_s3_bucket_versioning with status Enabled, or the legacy versioning block. */
export function versioning(model: ResourceModel, bucket: ResourceNode): VersioningState {
  const configs = attached(model, bucket, 'aws_s3_bucket_versioning');
  let why = 'no aws_s3_bucket_versioning and no versioning block';
  for (const c of configs) {
    const status = block(c.values.versioning_configuration)?.status;
    if (status === 'Enabled') return { state: 'enabled' };
    if (typeof status !== 'string' || status.includes('${')) return { state: 'unknown' };
    why = `${c.address} sets status ${status}`;
  }
  const legacy = block(bucket.values.versioning);
  if (legacy) {
    const enabled = legacy.enabled;
    if (enabled === true || enabled === 'true') return { state: 'enabled' };
    if (enabled !== false && enabled !== 'false' && enabled !== undefined && enabled !== null) return { state: 'unknown' };
    if (configs.length === 0) why = 'the versioning block does not set enabled = true';
  }
  return { state: 'off', why };
}

/** Why a bucket counts as holding pipeline artifacts or Terraform state, or undefined. */
export function bucketRole(model: ResourceModel, bucket: ResourceNode, stateBuckets: ReadonlySet<string>): { readonly role: 'state' | 'artifacts'; readonly why: string } | undefined {
  const name = typeof bucket.values.bucket === 'string' && !bucket.values.bucket.includes('${') ? bucket.values.bucket : undefined;
  if (name && stateBuckets.has(name)) return { role: 'state', why: 'it is a Terraform S3 backend bucket' };
  const byName = name ? usersByLiteralName(model).get(`${bucket.stack}\0${name}`) : undefined;
  const users = (type: string) => {
    const linked = model.referencing(bucket, type);
    const named = byName?.filter((n) => n.type === type && !linked.includes(n));
    return named?.length ? [...linked, ...named] : linked;
  };
  for (const p of users('aws_codepipeline')) {
    for (const store of blocks(p.values.artifact_store)) {
      if (pointsTo(model, p.stack, store.location, bucket, ['bucket', 'id'])) return { role: 'artifacts', why: `it is the artifact store of ${p.address}` };
    }
    for (const stage of blocks(p.values.stage)) {
      for (const action of blocks(stage.action)) {
        const cfg = block(action.configuration);
        if (action.provider === 'S3' && action.category === 'Source' && cfg && pointsTo(model, p.stack, cfg.S3Bucket, bucket, ['bucket', 'id'])) {
          return { role: 'artifacts', why: `it is the S3 source of ${p.address}` };
        }
      }
    }
  }
  for (const project of users('aws_codebuild_project')) {
    for (const a of [...blocks(project.values.artifacts), ...blocks(project.values.secondary_artifacts)]) {
      if (a.type === 'S3' && pointsTo(model, project.stack, a.location, bucket, ['bucket', 'id', 'arn'])) return { role: 'artifacts', why: `it receives the build artifacts of ${project.address}` };
    }
  }
  const label = `${bucket.name} ${name ?? ''}`;
  if (/(tf-?state|terraform[-_]?state|(^|[-_. ])state([-_. ]|$))/i.test(label)) return { role: 'state', why: 'its name says it holds Terraform state' };
  if (/artifact/i.test(label)) return { role: 'artifacts', why: 'its name says it holds artifacts' };
  return undefined;
}

const usersCache = new WeakMap<ResourceModel, Map<string, ResourceNode[]>>();

/**
 * Pipelines and CodeBuild projects that name a bucket by its literal name (`<stack>\0<name>` →
 * nodes), built once per model. In a plan the configuration's `${aws_s3_bucket.x.bucket}` is
 * already the known name, so no reference links the bucket to the pipeline that stores in it.
 */
function usersByLiteralName(model: ResourceModel): Map<string, ResourceNode[]> {
  let index = usersCache.get(model);
  if (index) return index;
  index = new Map();
  const add = (node: ResourceNode, v: unknown) => {
    if (typeof v !== 'string' || !v || v.includes('${')) return;
    const key = `${node.stack}\0${v}`;
    const list = index!.get(key);
    if (!list) index!.set(key, [node]);
    else if (!list.includes(node)) list.push(node);
  };
  for (const p of model.byType('aws_codepipeline')) {
    for (const store of blocks(p.values.artifact_store)) add(p, store.location);
    for (const stage of blocks(p.values.stage)) for (const action of blocks(stage.action)) add(p, block(action.configuration)?.S3Bucket);
  }
  for (const project of model.byType('aws_codebuild_project')) {
    for (const a of [...blocks(project.values.artifacts), ...blocks(project.values.secondary_artifacts)]) add(project, a.location);
  }
  usersCache.set(model, index);
  return index;
}
