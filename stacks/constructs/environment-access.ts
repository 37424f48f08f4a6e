/**
 * Read access to one environment's runtime configuration: Parameter Store parameters under
 * `/<app>/<env>/` and Secrets Manager secrets named `<app>/<env>/…`, decrypted with the application
 * key only through those two services (kms:ViaService). Nothing of another environment.
 *
 * Attached to a role the application runs as: the server instance role Gantry creates, or an
 * existing ECS task / Lambda execution role named in the configuration (as an inline policy).
 */
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import { policyDocument, type Statement } from '../lib/policy';
import type { EncryptionKey } from './encryption-key';

/** The Parameter Store path of an environment, without the trailing slash: `/<app>/<env>`. */
export const parameterPath = (application: string, environment: string) => `/${application}/${environment}`;
/** The Secrets Manager name prefix of an environment: `<app>/<env>/`. */
export const secretPrefix = (application: string, environment: string) => `${application}/${environment}/`;

/** The statements that read exactly one environment's parameters and secrets. */
export function environmentConfigStatements(env: AwsEnv, key: EncryptionKey, application: string, environment: string): Statement[] {
  const path = parameterPath(application, environment);
  return [
    {
      Sid: 'ReadEnvironmentParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
      // The path itself is the resource of GetParametersByPath; `/*` covers every parameter below it.
      Resource: [env.arn('ssm', `parameter${path}`), env.arn('ssm', `parameter${path}/*`)],
    },
    {
      Sid: 'ReadEnvironmentSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: env.arn('secretsmanager', `secret:${secretPrefix(application, environment)}*`),
    },
    {
      Sid: 'DecryptEnvironmentConfiguration',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: key.arn,
      Condition: { StringEquals: { 'kms:ViaService': [`ssm.${env.region}.amazonaws.com`, `secretsmanager.${env.region}.amazonaws.com`] } },
    },
  ];
}

export interface EnvironmentAccessProps {
  readonly env: AwsEnv;
  readonly encryptionKey: EncryptionKey;
  readonly application: string;
  readonly environment: string;
  /** The existing role (name) the application runs as in this environment. */
  readonly roleName: string;
  /** Prefix of the inline policy's name. */
  readonly policyPrefix: string;
}

/** An inline policy on an existing runtime role granting `environmentConfigStatements`. */
export class EnvironmentAccess extends Construct {
  readonly policy: IamRolePolicy;
  readonly statements: Statement[];

  constructor(scope: Construct, id: string, props: EnvironmentAccessProps) {
    super(scope, id);
    this.statements = environmentConfigStatements(props.env, props.encryptionKey, props.application, props.environment);
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `${props.policyPrefix}-${props.environment}-config-read`,
      role: props.roleName,
      policy: policyDocument(this.statements),
    });
  }
}
