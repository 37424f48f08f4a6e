/**
 * A CodeCommit repository encrypted with the application key, with an approval rule template
 * that requires N approvals on pull requests into the default branch, associated with it.
 */
import { CodecommitApprovalRuleTemplate } from '@cdktf/provider-aws/lib/codecommit-approval-rule-template';
import { CodecommitApprovalRuleTemplateAssociation } from '@cdktf/provider-aws/lib/codecommit-approval-rule-template-association';
import { CodecommitRepository } from '@cdktf/provider-aws/lib/codecommit-repository';
import type { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';
import type { PipelineSource } from './pipeline-source';

/** The pipeline's Source action for a CodeCommit branch; polling off (an EventBridge rule on pushes starts the pipeline). */
export function codeCommitSourceAction(repositoryName: string, branch: string, outputArtifact: string): CodepipelineStageAction {
  return {
    name: 'Source',
    category: 'Source',
    owner: 'AWS',
    provider: 'CodeCommit',
    version: '1',
    outputArtifacts: [outputArtifact],
    configuration: {
      RepositoryName: repositoryName,
      BranchName: branch,
      // Changes arrive through the EventBridge rule; no polling.
      PollForSourceChanges: 'false',
      OutputArtifactFormat: 'CODE_ZIP',
    },
  };
}

/** What a CodePipeline CodeCommit source action does to the repository (and nothing more). */
export function readSourceRepositoryStatement(repositoryArn: string): Statement {
  return {
    Sid: 'ReadSourceRepository',
    Effect: 'Allow',
    Action: ['codecommit:GetBranch', 'codecommit:GetCommit', 'codecommit:GetRepository', 'codecommit:UploadArchive', 'codecommit:GetUploadArchiveStatus', 'codecommit:CancelUploadArchive'],
    Resource: repositoryArn,
  };
}

export interface CodeCommitSourceProps {
  readonly env: AwsEnv;
  readonly repositoryName: string;
  readonly description: string;
  readonly defaultBranch: string;
  /** Approvals a pull request into the default branch needs. @default 2 */
  readonly requiredApprovals?: number;
  readonly encryptionKey: EncryptionKey;
  /** Name of the approval rule template. @default - `<repositoryName>-approvals` */
  readonly templateName?: string;
}

export class CodeCommitSource extends Construct implements PipelineSource {
  readonly kind = 'codecommit' as const;
  readonly repository: CodecommitRepository;
  readonly repositoryName: string;
  readonly branch: string;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly cloneUrlHttp: string;
  readonly approvalTemplate: CodecommitApprovalRuleTemplate;
  /** Human approvals a pull request into the default branch needs. */
  readonly requiredApprovals: number;
  private readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: CodeCommitSourceProps) {
    super(scope, id);
    this.repositoryName = props.repositoryName;
    this.branch = props.defaultBranch;
    this.encryptionKey = props.encryptionKey;
    this.arn = props.env.arn('codecommit', props.repositoryName);
    this.cloneUrlHttp = `https://git-codecommit.${props.env.region}.amazonaws.com/v1/repos/${props.repositoryName}`;
    this.repository = new CodecommitRepository(this, 'repository', {
      repositoryName: props.repositoryName,
      description: props.description,
      defaultBranch: props.defaultBranch,
      kmsKeyId: props.encryptionKey.arn,
    });
    this.requiredApprovals = props.requiredApprovals ?? 2;
    this.approvalTemplate = new CodecommitApprovalRuleTemplate(this, 'approval-template', {
      name: (props.templateName ?? `${props.repositoryName}-approvals`).slice(0, 100),
      description: this.approvalsDescription(),
      content: this.approvalsContent(this.requiredApprovals),
    });
    new CodecommitApprovalRuleTemplateAssociation(this, 'approval-association', {
      approvalRuleTemplateName: this.approvalTemplate.name,
      repositoryName: this.repository.repositoryName,
    });
  }

  /**
   * A merge gate approves as a role, and CodeCommit counts that approval toward this template too
   * (it has no approval pool, and pools cannot exclude anyone): ask for one more approval so
   * humans still give `requiredApprovals`.
   */
  countGateApproval(gate: string): void {
    this.approvalTemplate.content = this.approvalsContent(this.requiredApprovals + 1);
    this.approvalTemplate.description = this.approvalsDescription(gate);
  }

  private approvalsContent(approvals: number): string {
    return JSON.stringify({
      Version: '2018-11-08',
      DestinationReferences: [`refs/heads/${this.branch}`],
      Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: approvals }],
    });
  }

  private approvalsDescription(gate?: string): string {
    const n = this.requiredApprovals;
    const people = `Pull requests into ${this.branch} need ${n} approval${n === 1 ? '' : 's'}`;
    return gate ? `${people}: the rule asks for ${n + 1} because ${gate}'s approval counts toward it too` : people;
  }

  sourceAction(outputArtifact: string): CodepipelineStageAction {
    return codeCommitSourceAction(this.repositoryName, this.branch, outputArtifact);
  }

  pipelineTriggers(): CodepipelineTrigger[] {
    return [];
  }

  pipelineStatements(): Statement[] {
    return [readSourceRepositoryStatement(this.arn), this.encryptionKey.useStatement('DecryptRepository')];
  }

  buildStatements(): Statement[] {
    return [{ Sid: 'PullSourceRepository', Effect: 'Allow', Action: 'codecommit:GitPull', Resource: this.arn }, this.encryptionKey.useStatement('DecryptRepository')];
  }
}
