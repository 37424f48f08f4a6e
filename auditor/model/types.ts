/**
 * The resource model: the one shape every rule sees, whichever input it came from
 * (a cdktf.out folder, *.tf.json files, or a `terraform show -json` plan).
 *
 * Values keep Terraform's own reference syntax: a reference to another resource is the string
 * `${aws_kms_key.app.arn}` (for plans, the loader rebuilds that string from the configuration's
 * `references` wherever the planned value is unknown). A value that Terraform only knows after
 * apply and that references nothing is an `Unknown` instance — never a wildcard.
 */

/** A value Terraform will only know after apply. */
export class Unknown {
  constructor(readonly reason: string = 'known after apply') {}
  toString(): string {
    return `(${this.reason})`;
  }
}

export type PlanAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op';

export interface ResourceNode {
  /** `<stack>/<address>`: unique across every input audited together. */
  readonly id: string;
  readonly stack: string;
  /** The Terraform address as the input names it: `aws_s3_bucket.a`, `data.aws_iam_policy_document.d`, `module.m.aws_x.y`, or an instance `aws_x.y[0]` for plans. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Attribute values; nested blocks are arrays of objects as in Terraform JSON. Prototype-free (`Object.create(null)`). */
  readonly values: Record<string, unknown>;
  /** How many instances this block creates (`count` / `for_each` honoured; 1 when unknown). */
  readonly count: number;
  /** For plans: the resource_change action of this instance. Config inputs have no action. */
  readonly action?: PlanAction;
  /** Addresses (same stack) of everything this node references. */
  readonly references: readonly string[];
  /** CDKTF construct path (`//`.metadata.path), when known. */
  readonly constructPath?: string;
  /** Suppressions recorded in code (`//`.gantry.suppressions), when any. */
  readonly suppressions: readonly Suppression[];
  /** Which input file it came from. */
  readonly file: string;
  /** The block's address without an instance key (`aws_x.y` for `aws_x.y[0]`); equals `address` for config inputs. */
  readonly blockAddress: string;
  /** For plan instances: the `index` (a number for count, a string for for_each). */
  readonly instanceKey?: number | string;
  /** Set when `count`/`for_each` could not be evaluated (then `count` is 1): what it was. */
  readonly countUnknown?: string;
  /** `module.a.module.b` for resources inside modules (plans), absent at the root. */
  readonly module?: string;
}

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Optional finding detail this suppression is restricted to (e.g. one action: `s3:*`). */
  readonly detail?: string;
  /** ISO date (YYYY-MM-DD); after it the suppression stops working. */
  readonly expires?: string;
  /** Where it was declared: `code` (construct metadata) or the suppressions file path. */
  readonly origin: string;
}

export interface BackendInfo {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

export interface StackInfo {
  readonly name: string;
  readonly file: string;
  readonly kind: 'config' | 'plan';
  /** The region the AWS provider is configured with, when literal. */
  readonly region?: string;
  readonly accountId?: string;
  readonly backend?: BackendInfo;
}

// ---- IAM, normalised -------------------------------------------------------------------

/** Principal block, every value an array. `"*"` is `{ AWS: ['*'] }`. */
export interface Principal {
  readonly AWS?: readonly string[];
  readonly Service?: readonly string[];
  readonly Federated?: readonly string[];
  readonly CanonicalUser?: readonly string[];
}

/** Conditions: operator → key → values. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principal?: Principal;
  readonly notPrincipal?: Principal;
  readonly conditions: Conditions;
  /**
   * Elements Terraform only knows after apply and that reference nothing; they are left out of
   * the arrays above (never turned into a wildcard) and listed here so rules can say so.
   */
  readonly unknowns?: readonly { readonly field: 'actions' | 'notActions' | 'resources' | 'notResources' | 'principal' | 'notPrincipal' | 'conditions' | 'effect'; readonly reason: string }[];
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

export type PolicyKind = 'identity-inline' | 'identity-managed' | 'aws-managed' | 'trust' | 'resource';

/** A policy as some resource sees it; `document` is absent when it cannot be resolved. */
export interface PolicyView {
  readonly kind: PolicyKind;
  /** Address of the resource that defines it, or the ARN for AWS-managed policies. */
  readonly name: string;
  readonly source?: ResourceNode;
  readonly document?: PolicyDocument;
  /** Why the document could not be resolved, when it could not. */
  readonly unresolved?: string;
}

export interface PrincipalView {
  /** The aws_iam_role / aws_iam_user / aws_iam_group. */
  readonly node: ResourceNode;
  readonly trust?: PolicyView;
  readonly policies: readonly PolicyView[];
}

export interface ResourceModel {
  readonly inputs: readonly string[];
  readonly stacks: readonly StackInfo[];
  readonly resources: readonly ResourceNode[];
  /** Every resource of that type (managed and data), across stacks. */
  byType(type: string): readonly ResourceNode[];
  /** The node at that address in that stack. */
  get(stack: string, address: string): ResourceNode | undefined;
  /** Nodes `node` references (optionally of one type). */
  referencedBy(node: ResourceNode, type?: string): readonly ResourceNode[];
  /** Nodes that reference `node` (optionally of one type): e.g. a bucket's encryption configuration. */
  referencing(node: ResourceNode, type?: string): readonly ResourceNode[];
  /** Resolve one value (a `${type.name.attr}` string) to the node it names, if any; `from` scopes module-local references. */
  resolve(stack: string, value: unknown, from?: ResourceNode): ResourceNode | undefined;
  /** Roles, users and groups with their trust and identity policies, normalised. */
  principals(): readonly PrincipalView[];
  /** Resource policies (bucket policies, key policies, topic policies, …), normalised, keyed by the node they protect. */
  resourcePolicies(): readonly { readonly target?: ResourceNode; readonly policy: PolicyView }[];
}
