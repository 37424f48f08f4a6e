/**
 * Builds the IAM views of a model: every role / user / group with its trust policy and its
 * inline, customer-managed and AWS-managed policies, and every resource policy with the
 * resource it protects. Documents are resolved through references (`${data.x.d.json}`,
 * `${aws_iam_policy.p.arn}`), cdktf's `${jsonencode(...)}`, or plain JSON; what cannot be
 * resolved is a PolicyView with `unresolved` set (rules report it, they never pass it).
 */
import { Unknown } from '../model/types';
import type { PolicyDocument, PolicyKind, PolicyStatement, PolicyView, PrincipalView, ResourceModel, ResourceNode } from '../model/types';
import { traversals } from '../model/refs';
import { HclSyntaxError, parseJsonencode } from './normalise-hcl';
import { PolicyProblem, Resolved, dataSourceStatements, mergeStatements, normaliseJsonPolicy } from './normalise';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const MAX_HOPS = 16;

/** Resolves policy values to documents, with a cycle guard, caching per data source. */
export class PolicyResolver {
  private readonly dataCache = new Map<ResourceNode, Resolved>();
  private readonly active = new Set<ResourceNode>();

  constructor(private readonly model: ResourceModel) {}

  /** A policy attribute value (string, parsed object, Unknown) as seen from `from`. */
  resolveValue(value: unknown, from: ResourceNode, hops = 0): Resolved {
    if (hops > MAX_HOPS) return { unresolved: 'references nest too deeply' };
    if (value === undefined || value === null) return { unresolved: 'no policy document' };
    if (value instanceof Unknown) return { unresolved: `the document is ${value.reason}` };
    if (isObj(value)) return this.fromJson(value);
    if (typeof value !== 'string') return { unresolved: 'the document is not a string' };
    const s = value.trim();
    if (!s.includes('${')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        return { unresolved: 'the document is not valid JSON' };
      }
      return this.fromJson(parsed);
    }
    let je: { value: unknown } | undefined;
    try {
      je = parseJsonencode(s);
    } catch (e) {
      if (e instanceof HclSyntaxError) return { unresolved: `cannot read the jsonencode expression (${e.message})` };
      throw e;
    }
    if (je) return this.fromJson(je.value);
    // A single reference: ${data.aws_iam_policy_document.d.json}, ${aws_iam_policy.p.policy}
    const m = /^\$\{\s*([^{}]*?)\s*\}$/.exec(s);
    const t = m ? traversals(s) : [];
    if (m && t.length === 1) {
      const target = this.model.resolve(from.stack, s, from);
      if (!target) return { unresolved: `${m[1]} is not in this configuration` };
      return this.fromNode(target, t[0].attr, hops + 1);
    }
    // A JSON document with references inside its strings (cdktf's JSON.stringify of tokens, or a
    // plan's template put back): `{"Resource":"${aws_cloudwatch_log_group.g.arn}:*"}`.
    if (s.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) return this.fromJson(parsed);
    }
    return { unresolved: `the expression ${s.length > 80 ? `${s.slice(0, 80)}…` : s} cannot be evaluated without applying` };
  }

  private fromJson(v: unknown): Resolved {
    try {
      return { document: normaliseJsonPolicy(v) };
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
      if (this.active.has(node)) return { unresolved: `${node.address} refers to itself` };
      this.active.add(node);
      try {
        return this.resolveValue(v, node, hops + 1);
      } finally {
        this.active.delete(node);
      }
    }
    return { unresolved: `${node.address}.${attr} is not a policy document` };
  }

  /** An aws_iam_policy_document data source, merged with its source and override documents. */
  dataSource(node: ResourceNode, hops = 0): Resolved {
    const cached = this.dataCache.get(node);
    if (cached) return cached;
    if (this.active.has(node)) return { unresolved: `${node.address} refers to itself` };
    this.active.add(node);
    let result: Resolved;
    try {
      result = this.computeDataSource(node, hops);
    } finally {
      this.active.delete(node);
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
    const docs = (key: string): PolicyStatement[][] | string => {
      const list = own(v, key);
      if (list === undefined || list === null) return [];
      if (list instanceof Unknown) return `${key} is ${list.reason}`;
      const out: PolicyStatement[][] = [];
      for (const d of Array.isArray(list) ? list : [list]) {
        const r = this.resolveValue(d, node, hops + 1);
        if (!r.document) return `${key}: ${r.unresolved}`;
        out.push([...r.document.statements]);
      }
      return out;
    };
    const sources = docs('source_policy_documents');
    if (typeof sources === 'string') return { unresolved: sources };
    const overrides = docs('override_policy_documents');
    if (typeof overrides === 'string') return { unresolved: overrides };
    // Deprecated single-document forms (provider v3): source_json / override_json.
    for (const [k, target] of [['source_json', sources], ['override_json', overrides]] as const) {
      const d = own(v, k);
      if (d === undefined || d === null) continue;
      const r = this.resolveValue(d, node, hops + 1);
      if (!r.document) return { unresolved: `${k}: ${r.unresolved}` };
      target.push([...r.document.statements]);
    }
    let mine: PolicyStatement[];
    try {
      mine = dataSourceStatements(v);
    } catch (e) {
      if (e instanceof PolicyProblem) return { unresolved: e.message };
      throw e;
    }
    if (statementsDeclared === undefined && !sources.length && !overrides.length) {
      if (json instanceof Unknown) return { unresolved: `${node.address}: the document is ${json.reason}` };
    }
    return { document: { statements: mergeStatements(sources, mine, overrides) } };
  }
}

// ---- principals ---------------------------------------------------------------------------

const PRINCIPAL_TYPES = { aws_iam_role: 'role', aws_iam_user: 'user', aws_iam_group: 'group' } as const;
type PrincipalKind = (typeof PRINCIPAL_TYPES)[keyof typeof PRINCIPAL_TYPES];

/** Inline policy resources and the attribute naming their principal. */
const INLINE: readonly [string, PrincipalKind, string][] = [
  ['aws_iam_role_policy', 'role', 'role'],
  ['aws_iam_user_policy', 'user', 'user'],
  ['aws_iam_group_policy', 'group', 'group'],
];
const ATTACH: readonly [string, PrincipalKind, string][] = [
  ['aws_iam_role_policy_attachment', 'role', 'role'],
  ['aws_iam_user_policy_attachment', 'user', 'user'],
  ['aws_iam_group_policy_attachment', 'group', 'group'],
];

interface Builder {
  node: ResourceNode;
  trust?: PolicyView;
  policies: PolicyView[];
}

const AWS_MANAGED = /^arn:(?:aws|aws-cn|aws-us-gov|\$\{[^}]*\}):iam::aws:policy\/(.+)$/;

export function buildIamViews(model: ResourceModel): {
  principals: readonly PrincipalView[];
  resourcePolicies: readonly { target?: ResourceNode; policy: PolicyView }[];
} {
  const resolver = new PolicyResolver(model);
  const builders = new Map<ResourceNode, Builder>();
  const byName = new Map<string, ResourceNode[]>(); // `${stack}\0${kind}\0${name}` → principals
  const view = (kind: PolicyKind, name: string, source: ResourceNode, r: Resolved): PolicyView =>
    r.document ? { kind, name, source, document: r.document } : { kind, name, source, unresolved: r.unresolved };

  for (const [type, kind] of Object.entries(PRINCIPAL_TYPES)) {
    for (const node of model.byType(type)) {
      if (node.mode !== 'managed') continue;
      const b: Builder = { node, policies: [] };
      builders.set(node, b);
      const name = own(node.values, 'name');
      if (typeof name === 'string' && !name.includes('${')) pushTo(byName, `${node.stack}\0${kind}\0${name}`, node);
      if (kind === 'role') {
        b.trust = view('trust', node.address, node, resolver.resolveValue(own(node.values, 'assume_role_policy'), node));
        const inline = own(node.values, 'inline_policy');
        for (const block of Array.isArray(inline) ? inline : inline === undefined ? [] : [inline]) {
          if (!isObj(block)) continue;
          const pname = own(block, 'name');
          const policy = own(block, 'policy');
          if (policy === undefined || policy === null || policy === '') continue; // `inline_policy {}` removes inline policies
          b.policies.push(view('identity-inline', `${node.address}.inline_policy[${JSON.stringify(typeof pname === 'string' ? pname : '')}]`, node, resolver.resolveValue(policy, node)));
        }
        const managed = own(node.values, 'managed_policy_arns');
        for (const arn of Array.isArray(managed) ? managed : []) b.policies.push(managedView(model, resolver, node, arn));
      }
    }
  }

  const principalsOf = (from: ResourceNode, kind: PrincipalKind, value: unknown): ResourceNode[] => {
    if (typeof value !== 'string') return [];
    if (value.includes('${')) {
      const hits: ResourceNode[] = [];
      for (const t of traversals(value)) {
        const target = model.resolve(from.stack, `\${${t.instance ?? t.block}}`, from);
        if (target && builders.has(target) && !hits.includes(target)) hits.push(target);
      }
      return hits;
    }
    return byName.get(`${from.stack}\0${kind}\0${value}`) ?? [];
  };
  const attach = (targets: ResourceNode[], p: PolicyView) => {
    for (const t of targets) builders.get(t)!.policies.push(p);
  };

  for (const [type, kind, attr] of INLINE) {
    for (const node of model.byType(type)) {
      const targets = principalsOf(node, kind, own(node.values, attr));
      if (!targets.length) continue;
      attach(targets, view('identity-inline', node.address, node, resolver.resolveValue(own(node.values, 'policy'), node)));
    }
  }
  for (const [type, kind, attr] of ATTACH) {
    for (const node of model.byType(type)) {
      const targets = principalsOf(node, kind, own(node.values, attr));
      if (targets.length) attach(targets, managedView(model, resolver, node, own(node.values, 'policy_arn')));
    }
  }
  for (const node of model.byType('aws_iam_policy_attachment')) {
    const targets: ResourceNode[] = [];
    for (const [attr, kind] of [['roles', 'role'], ['users', 'user'], ['groups', 'group']] as const) {
      const list = own(node.values, attr);
      for (const v of Array.isArray(list) ? list : []) for (const t of principalsOf(node, kind, v)) if (!targets.includes(t)) targets.push(t);
    }
    if (targets.length) attach(targets, managedView(model, resolver, node, own(node.values, 'policy_arn')));
  }
  for (const node of model.byType('aws_iam_role_policy_attachments_exclusive')) {
    const targets = principalsOf(node, 'role', own(node.values, 'role_name'));
    const arns = own(node.values, 'policy_arns');
    for (const arn of Array.isArray(arns) ? arns : []) attach(targets, managedView(model, resolver, node, arn));
  }

  const principals: PrincipalView[] = [...builders.values()].map((b) => ({ node: b.node, ...(b.trust ? { trust: b.trust } : {}), policies: b.policies }));
  return { principals, resourcePolicies: resourcePolicies(model, resolver) };
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** A policy ARN: an AWS-managed policy (by name), a customer policy defined here, or one defined elsewhere. */
function managedView(model: ResourceModel, resolver: PolicyResolver, from: ResourceNode, arn: unknown): PolicyView {
  if (arn instanceof Unknown || typeof arn !== 'string') {
    return { kind: 'identity-managed', name: `${from.address}.policy_arn`, source: from, unresolved: `the policy ARN is ${arn instanceof Unknown ? arn.reason : 'missing'}` };
  }
  const aws = AWS_MANAGED.exec(arn);
  if (aws && !aws[1].includes('${')) {
    return { kind: 'aws-managed', name: arn.replace(/^arn:\$\{[^}]*\}:/, 'arn:aws:'), source: from };
  }
  if (arn.includes('${')) {
    const target = model.resolve(from.stack, arn, from);
    if (target && target.type === 'aws_iam_policy') {
      const r = resolver.resolveValue(own(target.values, 'policy'), target);
      return r.document
        ? { kind: 'identity-managed', name: target.address, source: target, document: r.document }
        : { kind: 'identity-managed', name: target.address, source: target, unresolved: r.unresolved };
    }
    return { kind: 'identity-managed', name: arn, source: from, unresolved: `the policy ARN ${arn} cannot be resolved in this configuration` };
  }
  // A literal customer-managed ARN: find the aws_iam_policy with that name in the same stack.
  const name = /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  const local = name ? model.byType('aws_iam_policy').find((n) => n.stack === from.stack && own(n.values, 'name') === name && (own(n.values, 'arn') === undefined || own(n.values, 'arn') === arn)) : undefined;
  if (local) {
    const r = resolver.resolveValue(own(local.values, 'policy'), local);
    return r.document ? { kind: 'identity-managed', name: local.address, source: local, document: r.document } : { kind: 'identity-managed', name: local.address, source: local, unresolved: r.unresolved };
  }
  return { kind: 'identity-managed', name: arn, source: from, unresolved: 'a customer-managed policy defined outside this configuration' };
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

function resourcePolicies(model: ResourceModel, resolver: PolicyResolver): { target?: ResourceNode; policy: PolicyView }[] {
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
  for (const [type, attr, targetAttr, targetTypes] of RESOURCE_POLICIES) {
    for (const node of model.byType(type)) {
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
      const r = resolver.resolveValue(value, node);
      const policy: PolicyView = r.document ? { kind: 'resource', name: node.address, source: node, document: r.document } : { kind: 'resource', name: node.address, source: node, unresolved: r.unresolved };
      out.push({ ...(target ? { target } : {}), policy });
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
    return { ...(target ? { target } : {}), policy: { kind: 'resource', name: node.address, source: node, unresolved: 'action or principal is not known before apply' } };
  }
  const conditions = Object.create(null) as Record<string, Record<string, string[]>>;
  const sourceArn = own(v, 'source_arn');
  const sourceAccount = own(v, 'source_account');
  if (typeof sourceArn === 'string') conditions.ArnLike = Object.assign(Object.create(null), { 'AWS:SourceArn': [sourceArn] });
  if (typeof sourceAccount === 'string') conditions.StringEquals = Object.assign(Object.create(null), { 'AWS:SourceAccount': [sourceAccount] });
  const orgId = own(v, 'principal_org_id');
  if (typeof orgId === 'string') conditions.StringEquals = Object.assign(conditions.StringEquals ?? Object.create(null), { 'aws:PrincipalOrgID': [orgId] });
  const isService = principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn');
  const statement: PolicyStatement = {
    ...(typeof own(v, 'statement_id') === 'string' ? { sid: own(v, 'statement_id') as string } : {}),
    effect: 'Allow',
    actions: [action],
    resources: typeof fn === 'string' ? [fn] : [],
    principal: principal === '*' ? { AWS: ['*'] } : isService ? { Service: [principal] } : { AWS: [principal] },
    conditions,
  };
  const document: PolicyDocument = { statements: [statement] };
  return { ...(target ? { target } : {}), policy: { kind: 'resource', name: node.address, source: node, document } };
}
