/**
 * The EC2 instance role and profile of one server environment: what the CodeDeploy agent and the
 * application on those instances may do — read the pipeline's artifacts (the revisions CodeDeploy
 * hands the agent) and decrypt them with the application key through S3 only, and read this
 * environment's parameters and secrets. Nothing else; no managed policies.
 */
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { policyDocument, type Statement } from '../lib/policy';
import { suppress } from '../lib/suppress';
import type { EncryptionKey } from './encryption-key';
import { environmentConfigStatements } from './environment-access';
import type { SecureBucket } from './secure-bucket';

export interface InstanceRoleProps {
  readonly env: AwsEnv;
  readonly roleName: string;
  readonly application: string;
  readonly environment: string;
  readonly encryptionKey: EncryptionKey;
  readonly artifactBucket: SecureBucket;
  /** Key prefix of the pipeline's artifacts in the bucket (no trailing slash). */
  readonly artifactPrefix: string;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;
  readonly roleName: string;
  readonly statements: Statement[];

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const env = props.env;
    this.roleName = props.roleName;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `EC2 instances of ${props.application} ${props.environment} (CodeDeploy agent and application)`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([{ Sid: 'Ec2InstancesOfThisAccount', Effect: 'Allow', Principal: { Service: env.service('ec2') }, Action: 'sts:AssumeRole' }]),
    });
    suppress(
      this.role,
      'iam/trust-service-confused-deputy',
      'EC2 assumes an instance-profile role only for instances of this account launched with this profile (which takes iam:PassRole in this account), so no other account can make EC2 act as a deputy; AWS documents the plain ec2.amazonaws.com trust for instance roles.',
    );
    this.statements = [
      {
        Sid: 'ReadPipelineRevisions',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: `${props.artifactBucket.arn}/${props.artifactPrefix}/*`,
      },
      {
        Sid: 'DecryptRevisionsThroughS3',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: props.encryptionKey.arn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${env.region}.amazonaws.com` } },
      },
      ...environmentConfigStatements(env, props.encryptionKey, props.application, props.environment),
    ];
    new IamRolePolicy(this, 'policy', { name: `${props.roleName}-least-privilege`, role: this.role.name, policy: policyDocument(this.statements) });
    this.profile = new IamInstanceProfile(this, 'profile', { name: props.roleName, role: this.role.name });
  }
}
