/**
 * Builds the IAM views of a model: every role / user / group with its trust policy and its
 * inline, customer-managed and AWS-managed policies, and every resource policy with the
 * resource it protects. Documents are resolved through references (`${data.x.d.json}`,
 * `${aws_iam_policy.p.arn}`), cdktf's `${jsonencode(...)}`, or plain JSON; what cannot be
 * resolved is a PolicyView with `unresolved` set (rules report it, they never pass it).
 */
import { Unknown } from '../model/types';
import type { PolicyDocument, PolicyKind, PolicyStatement, PolicyView, PrincipalView, ResourceModel, ResourceNode } from '../model/types';
import { singleTraversal, traversals } from '../model/refs';
import { HclSyntaxError, parseJsonencode } from './normalise-hcl';
import { StatementPool, PolicyProblem, Resolved, dataSourceStatements, mergeStatements, normaliseJsonPolicy } from './normalise';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const MAX_HOPS = 16;
/**
 * The model the views read: a ResourceModel that also resolves a value that is one traversal
 * from the offsets `singleTraversal` found (Model does).
 */
export interface ViewsModel extends ResourceModel {
  resolveTraversal(stack: string, value: string, start: number, blockEnd: number, instanceEnd: number, from?: ResourceNode): ResourceNode | undefined;
}

/**
 * Offsets of the single traversal last read by `singleTraversal` here; read right after it,
 * before anything that could read another value.
 */
const SINGLE: number[] = [];

/** For a value that is one plain traversal and nothing else, its attribute (`''` when it names none); otherwise undefined. */
export function plainReferenceAttr(value: string): string | undefined {
  if (!singleTraversal(value, SINGLE)) return undefined;
  return SINGLE[3] ? value.slice(SINGLE[3], SINGLE[4]) : '';
}

/** Resolves policy values to documents, with a cycle guard, caching per data source and per document text. */
export class PolicyResolver {
  private readonly dataCache = new Map<ResourceNode, Resolved>();
  /**
   * The nodes being resolved: `active[0 .. depth)`, innermost last. A short stack kept at its
   * largest length (a Set would re-allocate as it empties and fills, and so would an array popped
   * back to empty: V8 trims its backing store).
   */
  private readonly active: ResourceNode[] = [];
  private depth = 0;
  /**
   * What each policy text resolved to, for texts whose reading does not depend on where they
   * appear (everything but a single `${reference}`): many roles carry the same trust policy or
   * the same document, and it is parsed and normalised once. Documents are read-only, so the
   * views share one.
   */
  private readonly textCache = new Map<string, Resolved>();
  /** Equal conditions and action lists shared by the model's statements. */
  private readonly pool = new StatementPool();

  constructor(private readonly model: ViewsModel) {}

  /** A policy attribute value (string, parsed object, Unknown) as seen from `from`. */
  resolveValue(value: unknown, from: ResourceNode, hops = 0): Resolved {
    if (hops > MAX_HOPS) return { unresolved: 'references nest too deeply' };
    if (value === undefined || value === null) return { unresolved: 'no policy document' };
    if (value instanceof Unknown) return { unresolved: `the document is ${value.reason}` };
    if (isObj(value)) return this.fromJson(value);
    if (typeof value !== 'string') return { unresolved: 'the document is not a string' };
    const s = value.trim();
    if (singleTraversal(s, SINGLE)) {
      // A single reference: ${data.aws_iam_policy_document.d.json}, ${aws_iam_policy.p.policy}.
      // What it names depends on `from` (its stack and module): never remembered by text.
      const target = this.model.resolveTraversal(from.stack, s, SINGLE[0], SINGLE[1], SINGLE[2], from);
      if (!target) return { unresolved: `${s.slice(2, -1)} is not in this configuration` };
      return this.fromNode(target, SINGLE[3] ? s.slice(SINGLE[3], SINGLE[4]) : undefined, hops + 1);
    }
    const cached = this.textCache.get(s);
    if (cached !== undefined) return cached;
    if (s.startsWith('${')) {
      let je: { value: unknown } | undefined;
      try {
        je = parseJsonencode(s);
      } catch (e) {
        if (e instanceof HclSyntaxError) return this.remember(s, { unresolved: `cannot read the jsonencode expression (${e.message})` });
        throw e;
      }
      if (je) return this.remember(s, this.fromJson(je.value));
      // One reference with spaces around it, `${ aws_iam_policy.p.policy }`: not remembered by text either.
      const m = /^\$\{\s*([^{}]*?)\s*\}$/.exec(s);
      const t = m ? traversals(s) : [];
      if (m && t.length === 1) {
        const target = this.model.resolve(from.stack, s, from);
        if (!target) return { unresolved: `${m[1]} is not in this configuration` };
        return this.fromNode(target, t[0].attr, hops + 1);
      }
    } else if (!s.includes('${') || s.startsWith('{')) {
      // Plain JSON, or a JSON document with references inside its strings (cdktf's JSON.stringify
      // of tokens, or a plan's template put back): `{"Resource":"${aws_cloudwatch_log_group.g.arn}:*"}`.
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        if (!s.includes('${')) return this.remember(s, { unresolved: 'the document is not valid JSON' });
        parsed = undefined;
      }
      if (parsed !== undefined) return this.remember(s, this.fromJson(parsed));
    }
    return this.remember(s, { unresolved: `the expression ${s.length > 80 ? `${s.slice(0, 80)}…` : s} cannot be evaluated without applying` });
  }

  private isActive(node: ResourceNode): boolean {
    for (let i = 0; i < this.depth; i++) if (this.active[i] === node) return true;
    return false;
  }

  private remember(text: string, r: Resolved): Resolved {
    this.textCache.set(text, r);
    return r;
  }

  private fromJson(v: unknown): Resolved {
    try {
      return { document: normaliseJsonPolicy(v, this.pool) };
    } catch (e) {
      if (e instanceof PolicyProblem) return { unresolved: e.message };
      throw e;
    }
  }

  /** The document an attribute of another node holds. */
  private fromNode(node: ResourceNode, attr: string | undefined, hops: number): Resolved {
    if (node.type === 'aws_iam_policy_document' && node.mode === 'data') {
      if (attr && attr !== 'json' && attr !== 'minified_json') return { unresolved: `${node.address}.${attr} is not a policy document` };
      return this.dataSource(node, hops);
    }
    const attrName = attr === 'json' || attr === undefined ? 'policy' : attr;
    if (attrName === 'policy' || attrName === 'assume_role_policy') {
      const v = own(node.values, attrName);
      if (v === undefined) return { unresolved: `${node.address} has no ${attrName}` };
      if (this.isActive(node)) return { unresolved: `${node.address} refers to itself` };
      this.active[this.depth++] = node;
      try {
        return this.resolveValue(v, node, hops + 1);
      } finally {
        this.depth--;
      }
    }
    return { unresolved: `${node.address}.${attr} is not a policy document` };
  }

  /** An aws_iam_policy_document data source, merged with its source and override documents. */
  dataSource(node: ResourceNode, hops = 0): Resolved {
    const cached = this.dataCache.get(node);
    if (cached) return cached;
    if (this.isActive(node)) return { unresolved: `${node.address} refers to itself` };
    this.active[this.depth++] = node;
    let result: Resolved;
    try {
      result = this.computeDataSource(node, hops);
    } finally {
      this.depth--;
    }
    this.dataCache.set(node, result);
    return result;
  }

  private computeDataSource(node: ResourceNode, hops: number): Resolved {
    const v = node.values;
    const statementsDeclared = own(v, 'statement');
    // Plans know `json` when every input was known: that is Terraform's own merge, prefer it.
    const json = own(v, 'json');
    if (typeof json === 'string' && !json.includes('${')) return this.resolveValue(json, node, hops);
    const sources: (readonly PolicyStatement[])[] = [];
    const overrides: (readonly PolicyStatement[])[] = [];
    const problem =
      this.documentList(node, 'source_policy_documents', hops, sources) ??
      this.documentList(node, 'override_policy_documents', hops, overrides) ??
      // Deprecated single-document forms (provider v3): source_json / override_json.
      this.legacyDocument(node, 'source_json', hops, sources) ??
      this.legacyDocument(node, 'override_json', hops, overrides);
    if (problem !== undefined) return { unresolved: problem };
    let mine: PolicyStatement[];
    try {
      mine = dataSourceStatements(v, this.pool);
    } catch (e) {
      if (e instanceof PolicyProblem) return { unresolved: e.message };
      throw e;
    }
    if (statementsDeclared === undefined && !sources.length && !overrides.length) {
      if (json instanceof Unknown) return { unresolved: `${node.address}: the document is ${json.reason}` };
    }
    return { document: { statements: mergeStatements(sources, mine, overrides) } };
  }

  /** The statements of each document a list attribute names, appended to `into`; or why one cannot be read. */
  private documentList(node: ResourceNode, key: string, hops: number, into: (readonly PolicyStatement[])[]): string | undefined {
    const list = own(node.values, key);
    if (list === undefined || list === null) return undefined;
    if (list instanceof Unknown) return `${key} is ${list.reason}`;
    if (!Array.isArray(list)) return this.documentInto(node, key, list, hops, into);
    for (let i = 0; i < list.length; i++) {
      const problem = this.documentInto(node, key, list[i], hops, into);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  private legacyDocument(node: ResourceNode, key: string, hops: number, into: (readonly PolicyStatement[])[]): string | undefined {
    const d = own(node.values, key);
    return d === undefined || d === null ? undefined : this.documentInto(node, key, d, hops, into);
  }

  private documentInto(node: ResourceNode, key: string, value: unknown, hops: number, into: (readonly PolicyStatement[])[]): string | undefined {
    const r = this.resolveValue(value, node, hops + 1);
    if (!r.document) return `${key}: ${r.unresolved}`;
    into.push(r.document.statements);
    return undefined;
  }
}

// ---- principals ---------------------------------------------------------------------------

type PrincipalKind = 'role' | 'user' | 'group';
const PRINCIPAL_TYPES: readonly (readonly [string, PrincipalKind])[] = [
  ['aws_iam_role', 'role'],
  ['aws_iam_user', 'user'],
  ['aws_iam_group', 'group'],
];

/** Inline policy resources and the attribute naming their principal. */
const INLINE: readonly (readonly [string, PrincipalKind, string])[] = [
  ['aws_iam_role_policy', 'role', 'role'],
  ['aws_iam_user_policy', 'user', 'user'],
  ['aws_iam_group_policy', 'group', 'group'],
];
const ATTACH: readonly (readonly [string, PrincipalKind, string])[] = [
  ['aws_iam_role_policy_attachment', 'role', 'role'],
  ['aws_iam_user_policy_attachment', 'user', 'user'],
  ['aws_iam_group_policy_attachment', 'group', 'group'],
];
/** aws_iam_policy_attachment's lists of principals. */
const ATTACH_LISTS: readonly (readonly [string, PrincipalKind])[] = [
  ['roles', 'role'],
  ['users', 'user'],
  ['groups', 'group'],
];

interface Builder {
  readonly node: ResourceNode;
  readonly kind: PrincipalKind;
  trust?: PolicyView;
  /** Made with the first policy, exactly one long: most principals have one or two. */
  policies?: PolicyView[];
}

function addPolicy(b: Builder, p: PolicyView): void {
  if (b.policies) b.policies.push(p);
  else b.policies = [p];
}

const AWS_MANAGED = /^arn:(?:aws|aws-cn|aws-us-gov|\$\{[^}]*\}):iam::aws:policy\/(.+)$/;
const NO_NODES: readonly ResourceNode[] = Object.freeze([]);

function view(kind: PolicyKind, name: string, source: ResourceNode, r: Resolved): PolicyView {
  return r.document ? { kind, name, source, document: r.document } : { kind, name, source, unresolved: r.unresolved };
}

/** What the views are built from: the model, the resolver, and lookups made once per build. */
class ViewBuilder {
  readonly resolver: PolicyResolver;
  readonly builders = new Map<ResourceNode, Builder>();
  /** `${stack}\0${kind}\0${name}` → principals with that literal name; made on first use (most configs name principals by reference). */
  private byName?: Map<string, ResourceNode[]>;
  /** `${stack}\0${name}` → aws_iam_policy resources with that literal name; made on first use. */
  private policiesByName?: Map<string, ResourceNode[]>;
  /** AWS-managed policy ARN → the name its view has (undefined: not an AWS-managed ARN). */
  private readonly awsManaged = new Map<string, string | undefined>();

  constructor(readonly model: ViewsModel) {
    this.resolver = new PolicyResolver(model);
  }

  /** The principals (known here) a `role` / `user` / `group` value names: by reference, or by literal name in the same stack. */
  principalsOf(from: ResourceNode, kind: PrincipalKind, value: unknown): readonly ResourceNode[] {
    if (typeof value !== 'string') return NO_NODES;
    if (value.includes('${')) {
      if (singleTraversal(value, SINGLE)) {
        // `${aws_iam_role.r.name}`, the usual case: one traversal, resolved from its offsets.
        const target = this.model.resolveTraversal(from.stack, value, SINGLE[0], SINGLE[1], SINGLE[2], from);
        return target && this.builders.has(target) ? [target] : NO_NODES;
      }
      const hits: ResourceNode[] = [];
      for (const t of traversals(value)) {
        const target = this.model.resolve(from.stack, `\${${t.instance ?? t.block}}`, from);
        if (target && this.builders.has(target) && !hits.includes(target)) hits.push(target);
      }
      return hits;
    }
    if (!this.byName) {
      this.byName = new Map();
      for (const b of this.builders.values()) {
        const name = own(b.node.values, 'name');
        if (typeof name === 'string' && !name.includes('${')) pushTo(this.byName, `${b.node.stack}\0${b.kind}\0${name}`, b.node);
      }
    }
    return this.byName.get(`${from.stack}\0${kind}\0${value}`) ?? NO_NODES;
  }

  attach(targets: readonly ResourceNode[], p: PolicyView): void {
    for (let i = 0; i < targets.length; i++) addPolicy(this.builders.get(targets[i])!, p);
  }

  /** The view name of an AWS-managed policy ARN (partition references read as `aws`), or undefined when `arn` is not one. */
  awsManagedName(arn: string): string | undefined {
    if (this.awsManaged.has(arn)) return this.awsManaged.get(arn);
    const aws = AWS_MANAGED.exec(arn);
    const name = aws && !aws[1].includes('${') ? arn.replace(/^arn:\$\{[^}]*\}:/, 'arn:aws:') : undefined;
    this.awsManaged.set(arn, name);
    return name;
  }

  /** The first aws_iam_policy in `stack` named `name` whose `arn`, when known, is `arn`. */
  localPolicy(stack: string, name: string, arn: string): ResourceNode | undefined {
    if (!this.policiesByName) {
      this.policiesByName = new Map();
      for (const n of this.model.byType('aws_iam_policy')) {
        const pname = own(n.values, 'name');
        if (typeof pname === 'string') pushTo(this.policiesByName, `${n.stack}\0${pname}`, n);
      }
    }
    const candidates = this.policiesByName.get(`${stack}\0${name}`) ?? NO_NODES;
    for (let i = 0; i < candidates.length; i++) {
      const known = own(candidates[i].values, 'arn');
      if (known === undefined || known === arn) return candidates[i];
    }
    return undefined;
  }

  /** A policy ARN: an AWS-managed policy (by name), a customer policy defined here, or one defined elsewhere. */
  managedView(from: ResourceNode, arn: unknown): PolicyView {
    if (arn instanceof Unknown || typeof arn !== 'string') {
      return { kind: 'identity-managed', name: `${from.address}.policy_arn`, source: from, unresolved: `the policy ARN is ${arn instanceof Unknown ? arn.reason : 'missing'}` };
    }
    const awsName = this.awsManagedName(arn);
    if (awsName !== undefined) return { kind: 'aws-managed', name: awsName, source: from };
    if (arn.includes('${')) {
      const target = this.model.resolve(from.stack, arn, from);
      if (target && target.type === 'aws_iam_policy') return view('identity-managed', target.address, target, this.resolver.resolveValue(own(target.values, 'policy'), target));
      return { kind: 'identity-managed', name: arn, source: from, unresolved: `the policy ARN ${arn} cannot be resolved in this configuration` };
    }
    // A literal customer-managed ARN: find the aws_iam_policy with that name in the same stack.
    const name = /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    const local = name ? this.localPolicy(from.stack, name, arn) : undefined;
    if (local) return view('identity-managed', local.address, local, this.resolver.resolveValue(own(local.values, 'policy'), local));
    return { kind: 'identity-managed', name: arn, source: from, unresolved: 'a customer-managed policy defined outside this configuration' };
  }
}

export function buildIamViews(model: ViewsModel): {
  principals: readonly PrincipalView[];
  resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[];
} {
  const vb = new ViewBuilder(model);
  const { resolver, builders } = vb;

  for (let t = 0; t < PRINCIPAL_TYPES.length; t++) {
    const kind = PRINCIPAL_TYPES[t][1];
    const nodes = model.byType(PRINCIPAL_TYPES[t][0]);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.mode !== 'managed') continue;
      const b: Builder = { node, kind, trust: undefined, policies: undefined };
      builders.set(node, b);
      if (kind !== 'role') continue;
      b.trust = view('trust', node.address, node, resolver.resolveValue(own(node.values, 'assume_role_policy'), node));
      const inline = own(node.values, 'inline_policy');
      if (Array.isArray(inline)) for (let k = 0; k < inline.length; k++) inlineBlock(resolver, node, inline[k], b);
      else if (inline !== undefined) inlineBlock(resolver, node, inline, b);
      const managed = own(node.values, 'managed_policy_arns');
      if (Array.isArray(managed)) for (let k = 0; k < managed.length; k++) addPolicy(b, vb.managedView(node, managed[k]));
    }
  }

  for (let t = 0; t < INLINE.length; t++) {
    const nodes = model.byType(INLINE[t][0]);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const targets = vb.principalsOf(node, INLINE[t][1], own(node.values, INLINE[t][2]));
      if (targets.length) vb.attach(targets, view('identity-inline', node.address, node, resolver.resolveValue(own(node.values, 'policy'), node)));
    }
  }
  for (let t = 0; t < ATTACH.length; t++) {
    const nodes = model.byType(ATTACH[t][0]);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const targets = vb.principalsOf(node, ATTACH[t][1], own(node.values, ATTACH[t][2]));
      if (targets.length) vb.attach(targets, vb.managedView(node, own(node.values, 'policy_arn')));
    }
  }
  for (const node of model.byType('aws_iam_policy_attachment')) {
    const targets: ResourceNode[] = [];
    for (let a = 0; a < ATTACH_LISTS.length; a++) {
      const list = own(node.values, ATTACH_LISTS[a][0]);
      if (!Array.isArray(list)) continue;
      for (const v of list) for (const t of vb.principalsOf(node, ATTACH_LISTS[a][1], v)) if (!targets.includes(t)) targets.push(t);
    }
    if (targets.length) vb.attach(targets, vb.managedView(node, own(node.values, 'policy_arn')));
  }
  for (const node of model.byType('aws_iam_role_policy_attachments_exclusive')) {
    const targets = vb.principalsOf(node, 'role', own(node.values, 'role_name'));
    const arns = own(node.values, 'policy_arns');
    if (Array.isArray(arns)) for (const arn of arns) vb.attach(targets, vb.managedView(node, arn));
  }

  const principals: PrincipalView[] = new Array(builders.size);
  let i = 0;
  for (const b of builders.values()) {
    const policies = b.policies ?? [];
    principals[i++] = b.trust ? { node: b.node, trust: b.trust, policies } : { node: b.node, policies };
  }
  return { principals, resourcePolicies: resourcePolicies(model, resolver) };
}

/** One `inline_policy` block of a role, as a view added to the role's policies. */
function inlineBlock(resolver: PolicyResolver, node: ResourceNode, block: unknown, b: Builder): void {
  if (!isObj(block)) return;
  const pname = own(block, 'name');
  const policy = own(block, 'policy');
  if (policy === undefined || policy === null || policy === '') return; // `inline_policy {}` removes inline policies
  addPolicy(b, view('identity-inline', `${node.address}.inline_policy[${JSON.stringify(typeof pname === 'string' ? pname : '')}]`, node, resolver.resolveValue(policy, node)));
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

// ---- resource policies ----------------------------------------------------------------------

/** [type, attribute holding the policy, attribute naming the protected resource (undefined = itself), target types]. */
const RESOURCE_POLICIES: readonly [string, string, string | undefined, readonly string[]][] = [
  ['aws_s3_bucket_policy', 'policy', 'bucket', ['aws_s3_bucket']],
  ['aws_s3_bucket', 'policy', undefined, []],
  ['aws_kms_key', 'policy', undefined, []],
  ['aws_kms_key_policy', 'policy', 'key_id', ['aws_kms_key']],
  ['aws_sns_topic', 'policy', undefined, []],
  ['aws_sns_topic_policy', 'policy', 'arn', ['aws_sns_topic']],
  ['aws_sqs_queue', 'policy', undefined, []],
  ['aws_sqs_queue_policy', 'policy', 'queue_url', ['aws_sqs_queue']],
  ['aws_secretsmanager_secret', 'policy', undefined, []],
  ['aws_secretsmanager_secret_policy', 'policy', 'secret_arn', ['aws_secretsmanager_secret']],
  ['aws_ecr_repository_policy', 'policy', 'repository', ['aws_ecr_repository']],
  ['aws_codeartifact_repository_permissions_policy', 'policy_document', 'repository', ['aws_codeartifact_repository']],
  ['aws_codeartifact_domain_permissions_policy', 'policy_document', 'domain', ['aws_codeartifact_domain']],
  ['aws_cloudwatch_log_resource_policy', 'policy_document', undefined, []],
  ['aws_glacier_vault', 'access_policy', undefined, []],
];

/** Literal-name matching for targets named by a literal (bucket name, repository name …). */
const NAME_ATTR: Record<string, string> = { aws_s3_bucket: 'bucket', aws_ecr_repository: 'name', aws_sns_topic: 'name', aws_sqs_queue: 'name', aws_secretsmanager_secret: 'name' };

function resourcePolicies(model: ViewsModel, resolver: PolicyResolver): { target?: ResourceNode; policy: PolicyView }[] {
  const out: { target?: ResourceNode; policy: PolicyView }[] = [];
  const nameIndex = new Map<string, ResourceNode>();
  const indexed = new Set<string>();
  const findByName = (stack: string, types: readonly string[], name: string): ResourceNode | undefined => {
    for (const t of types) {
      const attr = NAME_ATTR[t];
      if (!attr) continue;
      const k = `${stack}\0${t}\0${name}`;
      if (!indexed.has(t)) {
        indexed.add(t);
        for (const n of model.byType(t)) {
          const v = own(n.values, attr);
          if (typeof v === 'string' && !nameIndex.has(`${n.stack}\0${t}\0${v}`)) nameIndex.set(`${n.stack}\0${t}\0${v}`, n);
        }
      }
      const hit = nameIndex.get(k);
      if (hit) return hit;
    }
    return undefined;
  };
  for (let p = 0; p < RESOURCE_POLICIES.length; p++) {
    const [type, attr, targetAttr, targetTypes] = RESOURCE_POLICIES[p];
    const nodes = model.byType(type);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.mode !== 'managed') continue;
      const value = own(node.values, attr);
      if (targetAttr === undefined && (value === undefined || value === null || value === '')) continue;
      let target: ResourceNode | undefined;
      if (targetAttr === undefined) target = node;
      else {
        const tv = own(node.values, targetAttr);
        const r = model.resolve(node.stack, tv, node);
        target = r && targetTypes.includes(r.type) ? r : typeof tv === 'string' && !tv.includes('${') ? findByName(node.stack, targetTypes, tv) : r;
      }
      const policy = view('resource', node.address, node, resolver.resolveValue(value, node));
      out.push(target ? { target, policy } : { policy });
    }
  }
  for (const node of model.byType('aws_lambda_permission')) out.push(lambdaPermission(model, node));
  return out;
}

/** aws_lambda_permission is one statement of the function's resource policy: build it. */
function lambdaPermission(model: ResourceModel, node: ResourceNode): { target?: ResourceNode; policy: PolicyView } {
  const v = node.values;
  const fn = own(v, 'function_name');
  const target = model.resolve(node.stack, fn, node);
  const action = own(v, 'action');
  const principal = own(v, 'principal');
  if (typeof action !== 'string' || typeof principal !== 'string') {
    const policy: PolicyView = { kind: 'resource', name: node.address, source: node, unresolved: 'action or principal is not known before apply' };
    return target ? { target, policy } : { policy };
  }
  const conditions = Object.create(null) as Record<string, Record<string, string[]>>;
  const sourceArn = own(v, 'source_arn');
  const sourceAccount = own(v, 'source_account');
  if (typeof sourceArn === 'string') conditions.ArnLike = Object.assign(Object.create(null), { 'AWS:SourceArn': [sourceArn] });
  if (typeof sourceAccount === 'string') conditions.StringEquals = Object.assign(Object.create(null), { 'AWS:SourceAccount': [sourceAccount] });
  const orgId = own(v, 'principal_org_id');
  if (typeof orgId === 'string') conditions.StringEquals = Object.assign(conditions.StringEquals ?? Object.create(null), { 'aws:PrincipalOrgID': [orgId] });
  const isService = principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn');
  const sid = own(v, 'statement_id');
  // Fields in the order, and all present, as normalise.ts's statements: one shape for the rules.
  const statement: PolicyStatement = {
    sid: typeof sid === 'string' ? sid : undefined,
    effect: 'Allow',
    actions: [action],
    notActions: undefined,
    resources: typeof fn === 'string' ? [fn] : [],
    notResources: undefined,
    principal: principal === '*' ? { AWS: ['*'] } : isService ? { Service: [principal] } : { AWS: [principal] },
    notPrincipal: undefined,
    conditions,
    unknowns: undefined,
  };
  const document: PolicyDocument = { statements: [statement] };
  const policy: PolicyView = { kind: 'resource', name: node.address, source: node, document };
  return target ? { target, policy } : { policy };
}
