/**
 * The merge gate on a CodeCommit repository: an approval rule template, associated with the
 * repository, that requires one approval from the pull-request vote's role on pull requests into
 * the given branch. The vote approves when the check (audit) build succeeded on the pull
 * request's current commit and revokes when it failed, so a failing audit blocks the merge. The
 * vote role is not the check's: the check runs the pull request's code, which must not be able to
 * approve itself. The repository's other template still asks humans for their approvals (one
 * more than `requiredApprovals`, since the vote's approval counts toward it as well).
 *
 * CodeCommit matches approvals against an approval pool of fully qualified ARNs; a role acting
 * through its sessions is named in its assumed-role form with a wildcard session name
 * (`arn:aws:sts::<account>:assumed-role/<role-name>/*`, CodeCommit User Guide, approval rule
 * templates and the `get-pull-request` example of the AWS CLI reference).
 */
import { CodecommitApprovalRuleTemplate } from '@cdktf/provider-aws/lib/codecommit-approval-rule-template';
import { CodecommitApprovalRuleTemplateAssociation } from '@cdktf/provider-aws/lib/codecommit-approval-rule-template-association';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';

export interface MergeGateApprovalProps {
  readonly env: AwsEnv;
  readonly repositoryName: string;
  /** Pull requests into this branch need the check's approval. */
  readonly branch: string;
  /** Name of the role the vote project runs as (never the check's, which runs untrusted code). */
  readonly voteRoleName: string;
  /** The repository resource, when this stack creates it: the association waits for it. @default - none */
  readonly repository?: ITerraformDependable;
  /** @default - `<repositoryName>-gantry-gate` */
  readonly templateName?: string;
}

/** The approval-pool member that matches every session of `roleName`. */
export function assumedRolePoolMember(env: AwsEnv, roleName: string): string {
  return `arn:${env.partition}:sts::${env.account}:assumed-role/${roleName}/*`;
}

export class MergeGateApproval extends Construct {
  readonly template: CodecommitApprovalRuleTemplate;
  readonly association: CodecommitApprovalRuleTemplateAssociation;
  readonly poolMember: string;

  constructor(scope: Construct, id: string, props: MergeGateApprovalProps) {
    super(scope, id);
    this.poolMember = assumedRolePoolMember(props.env, props.voteRoleName);
    this.template = new CodecommitApprovalRuleTemplate(this, 'template', {
      name: (props.templateName ?? `${props.repositoryName}-gantry-gate`).slice(0, 100),
      description: `Pull requests into ${props.branch} need the approval of the Gantry merge gate (${props.voteRoleName}, after the audit passed)`,
      content: JSON.stringify({
        Version: '2018-11-08',
        DestinationReferences: [`refs/heads/${props.branch}`],
        Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1, ApprovalPoolMembers: [this.poolMember] }],
      }),
    });
    this.association = new CodecommitApprovalRuleTemplateAssociation(this, 'association', {
      approvalRuleTemplateName: this.template.name,
      repositoryName: props.repositoryName,
      ...(props.repository ? { dependsOn: [props.repository] } : {}),
    });
  }
}
