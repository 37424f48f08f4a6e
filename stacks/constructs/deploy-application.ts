/**
 * A CodeDeploy application with one deployment group per environment. Every group rolls back
 * failed deployments; where alarms are configured it also stops and rolls back on alarm. The
 * CodeDeploy role is scoped to the targets of exactly these groups.
 */
import { CodedeployApp } from '@cdktf/provider-aws/lib/codedeploy-app';
import { CodedeployDeploymentGroup } from '@cdktf/provider-aws/lib/codedeploy-deployment-group';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { Statement } from '../lib/policy';
import type { CustomDeploymentConfig } from '../config/schema';
import type { ComputePlatform, DeployTarget } from './deploy/deploy-target';
import { customConfigSuffix, DeploymentConfig } from './deploy/deployment-config';
import { ServiceRole } from './service-role';

export interface DeploymentEnvironment {
  readonly name: string;
  readonly target: DeployTarget;
  /** CloudWatch alarm names that stop the deployment. @default - none */
  readonly alarms?: readonly string[];
}

export interface DeployApplicationProps {
  readonly env: AwsEnv;
  readonly applicationName: string;
  readonly computePlatform: ComputePlatform;
  /** A predefined or existing configuration's name, or a custom one to create (named `<application>-<kind>`). */
  readonly deploymentConfig: string | CustomDeploymentConfig;
  /** @default true */
  readonly autoRollback?: boolean;
  readonly environments: readonly DeploymentEnvironment[];
}

export interface DeploymentGroupInfo {
  readonly environment: string;
  readonly groupName: string;
  readonly arn: string;
  readonly target: DeployTarget;
  readonly group: CodedeployDeploymentGroup;
}

export class DeployApplication extends Construct {
  readonly application: CodedeployApp;
  readonly applicationName: string;
  readonly arn: string;
  readonly deploymentConfigArn: string;
  readonly deploymentConfigName: string;
  /** The custom configuration, when the application declares one. */
  readonly customConfig?: DeploymentConfig;
  readonly role: ServiceRole;
  readonly groups: DeploymentGroupInfo[] = [];

  constructor(scope: Construct, id: string, props: DeployApplicationProps) {
    super(scope, id);
    const env = props.env;
    this.applicationName = props.applicationName;
    this.arn = env.arn('codedeploy', `application:${props.applicationName}`);
    const dc = props.deploymentConfig;
    this.deploymentConfigName = typeof dc === 'string' ? dc : `${props.applicationName}-${customConfigSuffix(dc)}`;
    this.deploymentConfigArn = env.arn('codedeploy', `deploymentconfig:${this.deploymentConfigName}`);
    if (typeof dc !== 'string') this.customConfig = new DeploymentConfig(this, 'config', { name: this.deploymentConfigName, computePlatform: props.computePlatform, spec: dc });
    this.application = new CodedeployApp(this, 'application', { name: props.applicationName, computePlatform: props.computePlatform });
    this.role = new ServiceRole(this, 'role', {
      env,
      roleName: `${props.applicationName}-codedeploy`.slice(0, 64),
      description: `CodeDeploy application ${props.applicationName}`,
      service: 'codedeploy',
      sourceArns: [env.arn('codedeploy', `deploymentgroup:${props.applicationName}/*`)],
    });

    const rollback = props.autoRollback ?? true;
    const allAlarms = new Set<string>();
    for (const e of props.environments) {
      const groupName = `${props.applicationName}-${e.name}`;
      const alarms = [...(e.alarms ?? [])];
      alarms.forEach((a) => allAlarms.add(a));
      const group = new CodedeployDeploymentGroup(this, `group-${e.name}`, {
        appName: this.application.name,
        deploymentGroupName: groupName,
        serviceRoleArn: this.role.role.arn,
        deploymentConfigName: this.customConfig ? this.customConfig.configName : this.deploymentConfigName,
        autoRollbackConfiguration: {
          enabled: rollback,
          events: rollback ? ['DEPLOYMENT_FAILURE', ...(alarms.length ? ['DEPLOYMENT_STOP_ON_ALARM'] : [])] : [],
        },
        ...(alarms.length ? { alarmConfiguration: { enabled: true, alarms, ignorePollAlarmFailure: false } } : {}),
        ...e.target.groupConfig(),
      });
      this.groups.push({ environment: e.name, groupName, arn: env.arn('codedeploy', `deploymentgroup:${props.applicationName}/${groupName}`), target: e.target, group });
      this.role.grant(...e.target.codeDeployStatements(env));
    }
    if (allAlarms.size) {
      this.role.grant({ Sid: 'ReadNamedAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: [...allAlarms].map((a) => env.arn('cloudwatch', `alarm:${a}`)) });
    }
  }

  /** What the pipeline needs to start and follow deployments of `groupArns` (default: all groups). */
  deployStatements(): Statement[] {
    return [
      {
        Sid: 'DeployToOwnGroups',
        Effect: 'Allow',
        Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
        Resource: this.groups.map((g) => g.arn),
      },
      { Sid: 'RegisterRevisions', Effect: 'Allow', Action: ['codedeploy:GetApplication', 'codedeploy:GetApplicationRevision', 'codedeploy:RegisterApplicationRevision'], Resource: this.arn },
      { Sid: 'ReadDeploymentConfig', Effect: 'Allow', Action: 'codedeploy:GetDeploymentConfig', Resource: this.deploymentConfigArn },
    ];
  }
}
