/**
 * aws_codedeploy_deployment_group: deployments to EC2, Lambda and ECS are free; each
 * on-premises instance update is charged.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { blockCount, str, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_deployments', default: 50, description: 'Deployments per month (the tutorial\'s small team: 50)' },
  { key: 'monthly_on_premises_instance_updates', default: 0, description: 'On-premises instance updates per month (deployments × on-premises instances); default 0, or monthly_deployments × 1 when the group targets on-premises tags' },
];

const TO_EC2 = 'Deployments to Amazon EC2 (no charge)';
const TO_LAMBDA = 'Deployments to AWS Lambda (no charge)';
const TO_ECS = 'Deployments to Amazon ECS (no charge)';

function computePlatform(node: ResourceNode, ctx: PricingContext): string | undefined {
  const app = ctx.model.resolve(node.stack, node.values.app_name) ?? ctx.model.referencedBy(node, 'aws_codedeploy_app')[0];
  return str(app?.values.compute_platform) ?? (app ? 'Server' : undefined);
}

export const codedeployDeploymentGroup: ResourcePricer = {
  type: 'aws_codedeploy_deployment_group',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const onPrem = blockCount(node.values, 'on_premises_instance_tag_filter') > 0 || blockCount(node.values, 'on_premises_instance_tag_set') > 0;
    const deployments = usage(ctx, USAGE, 'monthly_deployments');
    const platform = computePlatform(node, ctx) ?? 'Server';
    const out: ComponentRequest[] = [{
      name: platform === 'Server' ? TO_EC2 : platform === 'Lambda' ? TO_LAMBDA : TO_ECS,
      priceId: 'codedeploy.ec2-lambda-ecs',
      quantity: deployments.value,
      estimated: deployments.estimated,
    }];
    const explicit = ctx.usage.get('monthly_on_premises_instance_updates');
    if (explicit !== undefined || onPrem) {
      out.push({
        name: 'On-premises instance updates',
        priceId: 'codedeploy.on-premises-update',
        quantity: explicit ?? deployments.value,
        estimated: explicit === undefined,
      });
    }
    return out;
  },
};
