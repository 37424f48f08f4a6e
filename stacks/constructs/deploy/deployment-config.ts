/**
 * A custom CodeDeploy deployment configuration: minimum healthy hosts for servers, time-based
 * canary or linear traffic shifting for Lambda and ECS. Predefined configurations
 * (`CodeDeployDefault.*`) need no resource; this one is created next to the application.
 */
import { CodedeployDeploymentConfig } from '@cdktf/provider-aws/lib/codedeploy-deployment-config';
import { Construct } from 'constructs';
import type { CustomDeploymentConfig } from '../../config/schema';
import type { ComputePlatform } from './deploy-target';

export interface DeploymentConfigProps {
  readonly name: string;
  readonly computePlatform: ComputePlatform;
  readonly spec: CustomDeploymentConfig;
}

/** A readable, unique name for a custom configuration, e.g. `Canary20Percent10Minutes`. */
export function customConfigSuffix(spec: CustomDeploymentConfig): string {
  switch (spec.type) {
    case 'minimum-healthy-hosts':
      return spec.unit === 'HOST_COUNT' ? `MinHealthy${spec.value}Hosts` : `MinHealthy${spec.value}Percent`;
    case 'canary':
      return `Canary${spec.percentage}Percent${spec.intervalMinutes}Minutes`;
    case 'linear':
      return `Linear${spec.percentage}PercentEvery${spec.intervalMinutes}Minutes`;
  }
}

export class DeploymentConfig extends Construct {
  readonly config: CodedeployDeploymentConfig;
  /** The configuration's name, as a reference (deployment groups depend on the resource). */
  readonly configName: string;

  constructor(scope: Construct, id: string, props: DeploymentConfigProps) {
    super(scope, id);
    const spec = props.spec;
    if ((spec.type === 'minimum-healthy-hosts') !== (props.computePlatform === 'Server')) {
      throw new Error(`deployment config ${props.name}: "${spec.type}" does not apply to the ${props.computePlatform} compute platform`);
    }
    this.config = new CodedeployDeploymentConfig(this, 'config', {
      deploymentConfigName: props.name,
      computePlatform: props.computePlatform,
      ...(spec.type === 'minimum-healthy-hosts'
        ? { minimumHealthyHosts: { type: spec.unit, value: spec.value } }
        : spec.type === 'canary'
          ? { trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { percentage: spec.percentage, interval: spec.intervalMinutes } } }
          : { trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { percentage: spec.percentage, interval: spec.intervalMinutes } } }),
    });
    this.configName = this.config.deploymentConfigName;
  }
}
