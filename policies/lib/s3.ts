/**
 * S3 bucket settings that live in separate resources (or in the legacy inline blocks of
 * aws_s3_bucket), gathered per bucket.
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { attachedTo, BUCKET_NAMES, NO_NODES, pointsTo } from './links';
import { block, blockItems, blocks, type Obj } from './values';

export interface EncryptionRules {
  readonly source: ResourceNode;
  readonly rules: readonly Obj[];
}

const encryptionCache = new WeakMap<ResourceModel, Map<ResourceNode, readonly EncryptionRules[]>>();

/**
 * The default-encryption rules of a bucket: its aws_s3_bucket_server_side_encryption_configuration
 * resources, then the legacy inline block. Read-only, made once per model and bucket: two rules read every bucket's.
 */
export function encryptionRulesOf(model: ResourceModel, bucket: ResourceNode): readonly EncryptionRules[] {
  let byBucket = encryptionCache.get(model);
  if (byBucket === undefined) encryptionCache.set(model, (byBucket = new Map()));
  let out = byBucket.get(bucket);
  if (out !== undefined) return out;
  const configs = attachedTo(model, bucket, 'aws_s3_bucket_server_side_encryption_configuration');
  const legacy = block(bucket.values.server_side_encryption_configuration);
  const list: EncryptionRules[] = new Array(configs.length);
  for (let i = 0; i < configs.length; i++) list[i] = { source: configs[i], rules: blockItems(configs[i].values.rule) };
  if (legacy) list.push({ source: bucket, rules: blockItems(legacy.rule) });
  out = list;
  byBucket.set(bucket, out);
  return out;
}


export type VersioningState =
  | { readonly state: 'enabled' }
  | { readonly state: 'unknown' }
  | { readonly state: 'off'; readonly why: string };

const ENABLED: VersioningState = Object.freeze({ state: 'enabled' });
const UNKNOWN: VersioningState = Object.freeze({ state: 'unknown' });

/** Whether a bucket keeps object versions: an aws_s3_bucket_versioning with status Enabled, or the legacy versioning block. */
export function versioning(model: ResourceModel, bucket: ResourceNode): VersioningState {
  const configs = attachedTo(model, bucket, 'aws_s3_bucket_versioning');
  let why = 'no aws_s3_bucket_versioning and no versioning block';
  for (let i = 0; i < configs.length; i++) {
    const c = configs[i];
    const status = block(c.values.versioning_configuration)?.status;
    if (status === 'Enabled') return ENABLED;
    if (typeof status !== 'string' || status.includes('${')) return UNKNOWN;
    why = `${c.address} sets status ${status}`;
  }
  const legacy = block(bucket.values.versioning);
  if (legacy) {
    const enabled = legacy.enabled;
    if (enabled === true || enabled === 'true') return ENABLED;
    if (enabled !== false && enabled !== 'false' && enabled !== undefined && enabled !== null) return UNKNOWN;
    if (configs.length === 0) why = 'the versioning block does not set enabled = true';
  }
  return { state: 'off', why };
}

const BUCKET_NAMES_OR_ARN: readonly string[] = Object.freeze(['bucket', 'id', 'arn']);

/** Why a bucket counts as holding pipeline artifacts or Terraform state, or undefined. */
export function bucketRole(model: ResourceModel, bucket: ResourceNode, stateBuckets: ReadonlySet<string>): { readonly role: 'state' | 'artifacts'; readonly why: string } | undefined {
  const name = typeof bucket.values.bucket === 'string' && !bucket.values.bucket.includes('${') ? bucket.values.bucket : undefined;
  if (name && stateBuckets.has(name)) return { role: 'state', why: 'it is a Terraform S3 backend bucket' };
  // Users of each type: those referencing the bucket, then those naming it by its literal name
  // (looked up only when a referencing pipeline has not already answered).
  const linked = model.referencing(bucket);
  let byName: readonly ResourceNode[] | undefined;
  for (let pass = 0; pass < 2; pass++) {
    const users = pass === 0 ? linked : (byName = namedUsers(model, bucket.stack, name));
    for (let i = 0; i < users.length; i++) {
      const p = users[i];
      if (p.type !== 'aws_codepipeline' || (pass === 1 && linked.includes(p))) continue;
      const why = storesInBucket(model, p, bucket);
      if (why) return { role: 'artifacts', why };
    }
  }
  for (let pass = 0; pass < 2; pass++) {
    const users = pass === 0 ? linked : (byName ?? namedUsers(model, bucket.stack, name));
    for (let i = 0; i < users.length; i++) {
      const project = users[i];
      if (project.type !== 'aws_codebuild_project' || (pass === 1 && linked.includes(project))) continue;
      if (buildsIntoBucket(model, project, project.values.artifacts, bucket) || buildsIntoBucket(model, project, project.values.secondary_artifacts, bucket)) {
        return { role: 'artifacts', why: `it receives the build artifacts of ${project.address}` };
      }
    }
  }
  const label = `${bucket.name} ${name ?? ''}`;
  if (STATE_NAME.test(label)) return { role: 'state', why: 'its name says it holds Terraform state' };
  if (ARTIFACT_NAME.test(label)) return { role: 'artifacts', why: 'its name says it holds artifacts' };
  return undefined;
}

// Constants rather than literals in bucketRole, which runs per bucket (a literal makes a RegExp per evaluation).
const STATE_NAME = /(tf-?state|terraform[-_]?state|(^|[-_. ])state([-_. ]|$))/i;
const ARTIFACT_NAME = /artifact/i;

/** Why pipeline `p` stores in `bucket` (its artifact store, or an S3 source action), or undefined. */
function storesInBucket(model: ResourceModel, p: ResourceNode, bucket: ResourceNode): string | undefined {
  const stores = blockItems(p.values.artifact_store);
  for (let i = 0; i < stores.length; i++) {
    if (pointsTo(model, p.stack, stores[i].location, bucket, BUCKET_NAMES)) return `it is the artifact store of ${p.address}`;
  }
  const stages = blockItems(p.values.stage);
  for (let s = 0; s < stages.length; s++) {
    const actions = blockItems(stages[s].action);
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      const cfg = block(action.configuration);
      if (action.provider === 'S3' && action.category === 'Source' && cfg && pointsTo(model, p.stack, cfg.S3Bucket, bucket, BUCKET_NAMES)) {
        return `it is the S3 source of ${p.address}`;
      }
    }
  }
  return undefined;
}

/** Does one of a project's artifacts blocks (`artifacts` or `secondary_artifacts`) write to `bucket` in S3? */
function buildsIntoBucket(model: ResourceModel, project: ResourceNode, artifacts: unknown, bucket: ResourceNode): boolean {
  const list = blockItems(artifacts);
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a.type === 'S3' && pointsTo(model, project.stack, a.location, bucket, BUCKET_NAMES_OR_ARN)) return true;
  }
  return false;
}

/** Pipelines and projects naming the bucket `name` (literal) in `stack`. */
function namedUsers(model: ResourceModel, stack: string, name: string | undefined): readonly ResourceNode[] {
  return name ? usersByLiteralName(model).get(stack)?.get(name) ?? NO_NODES : NO_NODES;
}

const usersCache = new WeakMap<ResourceModel, Map<string, Map<string, ResourceNode[]>>>();

/**
 * Pipelines and CodeBuild projects that name a bucket by its literal name (stack → name →
 * nodes), built once per model. In a plan the configuration's `${aws_s3_bucket.x.bucket}` is
 * already the known name, so no reference links the bucket to the pipeline that stores in it.
 */
function usersByLiteralName(model: ResourceModel): Map<string, Map<string, ResourceNode[]>> {
  let index = usersCache.get(model);
  if (index) return index;
  index = new Map();
  for (const p of model.byType('aws_codepipeline')) {
    for (const store of blocks(p.values.artifact_store)) addUser(index, p, store.location);
    for (const stage of blocks(p.values.stage)) for (const action of blocks(stage.action)) addUser(index, p, block(action.configuration)?.S3Bucket);
  }
  for (const project of model.byType('aws_codebuild_project')) {
    for (const a of blocks(project.values.artifacts)) addUser(index, project, a.location);
    for (const a of blocks(project.values.secondary_artifacts)) addUser(index, project, a.location);
  }
  usersCache.set(model, index);
  return index;
}

function addUser(index: Map<string, Map<string, ResourceNode[]>>, node: ResourceNode, v: unknown): void {
  if (typeof v !== 'string' || !v || v.includes('${')) return;
  let byName = index.get(node.stack);
  if (byName === undefined) index.set(node.stack, (byName = new Map()));
  const list = byName.get(v);
  if (!list) byName.set(v, [node]);
  else if (!list.includes(node)) list.push(node);
}
