/**
 * A source on GitHub, GitLab or Bitbucket through an AWS CodeConnections (CodeStar) connection:
 * an existing, authorised connection, or a new one to authorise once in the console. The
 * pipeline starts on pushes through its V2 trigger (no polling).
 */
import type { CodepipelineStageAction, CodepipelineTrigger } from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { Construct } from 'constructs';
import type { Statement } from '../lib/policy';
import type { PipelineSource } from './pipeline-source';

export type ConnectionProvider = 'GitHub' | 'GitLab' | 'Bitbucket';

export interface ConnectionSourceProps {
  readonly connectionName: string;
  readonly provider: ConnectionProvider;
  /** `owner/repository`. */
  readonly repository: string;
  readonly branch: string;
  /** @default - a new connection (pending until authorised in the console) */
  readonly connectionArn?: string;
}

const HOSTS: Record<ConnectionProvider, string> = { GitHub: 'github.com', GitLab: 'gitlab.com', Bitbucket: 'bitbucket.org' };
const CODEBUILD_TYPES: Record<ConnectionProvider, string> = { GitHub: 'GITHUB', GitLab: 'GITLAB', Bitbucket: 'BITBUCKET' };

export class ConnectionSource extends Construct implements PipelineSource {
  readonly kind = 'connection' as const;
  readonly branch: string;
  readonly repository: string;
  readonly provider: ConnectionProvider;
  readonly connectionArn: string;
  readonly connection?: CodestarconnectionsConnection;

  constructor(scope: Construct, id: string, props: ConnectionSourceProps) {
    super(scope, id);
    this.branch = props.branch;
    this.repository = props.repository;
    this.provider = props.provider;
    if (props.connectionArn) {
      this.connectionArn = props.connectionArn;
    } else {
      this.connection = new CodestarconnectionsConnection(this, 'connection', { name: props.connectionName.slice(0, 32), providerType: props.provider });
      this.connectionArn = this.connection.arn;
    }
  }

  /** CodeBuild source type for this provider. */
  get codeBuildSourceType(): string {
    return CODEBUILD_TYPES[this.provider];
  }

  /** HTTPS clone URL of the repository. */
  get cloneUrl(): string {
    return `https://${HOSTS[this.provider]}/${this.repository}.git`;
  }

  sourceAction(outputArtifact: string): CodepipelineStageAction {
    return {
      name: 'Source',
      category: 'Source',
      owner: 'AWS',
      provider: 'CodeStarSourceConnection',
      version: '1',
      outputArtifacts: [outputArtifact],
      configuration: {
        ConnectionArn: this.connectionArn,
        FullRepositoryId: this.repository,
        BranchName: this.branch,
        OutputArtifactFormat: 'CODE_ZIP',
      },
    };
  }

  pipelineTriggers(sourceActionName: string): CodepipelineTrigger[] {
    return [
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: { sourceActionName, push: [{ branches: { includes: [this.branch] } }] },
      },
    ];
  }

  pipelineStatements(): Statement[] {
    return [{ Sid: 'UseSourceConnection', Effect: 'Allow', Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'], Resource: this.connectionArn }];
  }

  buildStatements(): Statement[] {
    return [
      {
        Sid: 'UseSourceConnection',
        Effect: 'Allow',
        Action: ['codestar-connections:UseConnection', 'codestar-connections:GetConnectionToken', 'codeconnections:UseConnection', 'codeconnections:GetConnectionToken'],
        Resource: this.connectionArn,
      },
    ];
  }
}
