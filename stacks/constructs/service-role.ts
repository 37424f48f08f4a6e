/**
 * One IAM role for one AWS service principal. The trust policy only lets that service assume it
 * on behalf of this account (`aws:SourceAccount`) and, when given, of exactly the resources
 * named (`aws:SourceArn`). Permissions are one inline policy that grows through grants; no
 * managed policies are attached.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { PolicyBuilder, policyDocument, type Statement } from '../lib/policy';

export interface ServiceRoleProps {
  readonly env: AwsEnv;
  readonly roleName: string;
  readonly description: string;
  /** Service name without the domain, e.g. `codebuild`. */
  readonly service: string;
  /** ARNs (or ARN patterns) of the resources allowed to use the role. @default - any resource of this account */
  readonly sourceArns?: readonly string[];
  /** @default 3600 */
  readonly maxSessionDuration?: number;
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly roleName: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly servicePrincipal: string;
  private readonly policy = new PolicyBuilder();

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.roleName = props.roleName;
    this.servicePrincipal = props.env.service(props.service);
    this.arn = props.env.roleArn(props.roleName);
    const condition: Record<string, Record<string, string | string[]>> = { StringEquals: { 'aws:SourceAccount': props.env.account } };
    if (props.sourceArns?.length) {
      const arns = [...props.sourceArns];
      const wild = arns.some((a) => a.includes('*'));
      condition[wild ? 'ArnLike' : 'ArnEquals'] = { 'aws:SourceArn': arns.length === 1 ? arns[0] : arns };
    }
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: policyDocument([
        { Sid: 'TrustedServiceForThisAccountOnly', Effect: 'Allow', Principal: { Service: this.servicePrincipal }, Action: 'sts:AssumeRole', Condition: condition },
      ]),
    });
    new IamRolePolicy(this, 'policy', { name: `${props.roleName}-least-privilege`, role: this.role.name, policy: this.policy.toJson() });
  }

  /** Add statements to the role's inline policy. */
  grant(...statements: Statement[]): void {
    this.policy.add(...statements);
  }
}
