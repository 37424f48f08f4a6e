/**
 * aws_codebuild_project: on-demand build minutes by compute type and environment type.
 * EC2 compute (general1 small…2xlarge; Linux, ARM, GPU, Windows) bills per minute; Lambda
 * compute (BUILD_LAMBDA_1GB…10GB) bills per second. Reserved-capacity fleets bill on the fleet.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { block, str, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_build_mins', default: 500, description: 'Build minutes per month (default: 100 builds × 5 minutes, the tutorial\'s small team)' },
];

const SIZES: Record<string, string> = {
  BUILD_GENERAL1_SMALL: 'small',
  BUILD_GENERAL1_MEDIUM: 'medium',
  BUILD_GENERAL1_LARGE: 'large',
  BUILD_GENERAL1_XLARGE: 'xlarge',
  BUILD_GENERAL1_2XLARGE: '2xlarge',
};

/** Environment type → snapshot platform and label. */
function platform(envType: string | undefined): { id: string; label: string; family: string } | undefined {
  switch (envType ?? 'LINUX_CONTAINER') {
    case 'LINUX_CONTAINER':
      return { id: 'linux', label: 'Linux', family: 'general1' };
    case 'ARM_CONTAINER':
      return { id: 'arm', label: 'Linux ARM', family: 'arm1' };
    case 'LINUX_GPU_CONTAINER':
      return { id: 'gpu', label: 'Linux GPU', family: 'gpu1' };
    case 'WINDOWS_CONTAINER':
    case 'WINDOWS_SERVER_2019_CONTAINER':
    case 'WINDOWS_SERVER_2022_CONTAINER':
      return { id: 'windows', label: 'Windows', family: 'general1' };
    case 'ARM_LAMBDA_CONTAINER':
      return { id: 'lambda.arm', label: 'Lambda ARM', family: 'lambda.arm' };
    case 'LINUX_LAMBDA_CONTAINER':
      return { id: 'lambda.x86-64', label: 'Lambda x86-64', family: 'lambda.x86-64' };
    default:
      return undefined;
  }
}

export const codebuildProject: ResourcePricer = {
  type: 'aws_codebuild_project',
  usage: USAGE,
  components(node: ResourceNode, ctx: PricingContext): ComponentRequest[] {
    const env = block(node.values, 'environment') ?? {};
    const computeType = str(env.compute_type);
    const envType = str(env.type);
    if (block(env, 'fleet')) {
      ctx.warn(`${node.address}: builds run on a reserved-capacity fleet; fleets are billed on the fleet, not priced here`);
    }
    const p = platform(envType);
    const mins = usage(ctx, USAGE, 'monthly_build_mins');
    const lambda = /^BUILD_LAMBDA_(\d+)GB$/.exec(computeType ?? '');
    if (lambda) {
      const arch = p?.id === 'lambda.arm' ? 'arm' : 'x86-64';
      return [{
        name: `Build seconds (lambda.${arch}.${lambda[1]}GB)`,
        priceId: `codebuild.lambda.${arch}.${lambda[1]}gb`,
        quantity: mins.value * 60,
        estimated: mins.estimated,
      }];
    }
    const size = computeType ? SIZES[computeType] : undefined;
    if (!p || !size) {
      return [{
        name: `Build minutes (${envType ?? 'unknown environment'} ${computeType ?? 'unknown compute type'})`,
        priceId: `codebuild.unpriced.${envType ?? 'unknown'}.${computeType ?? 'unknown'}`,
        quantity: mins.value,
        estimated: mins.estimated,
      }];
    }
    return [{
      name: `Build minutes (${p.label}, ${p.family}.${size})`,
      priceId: `codebuild.${p.id}.${size}`,
      quantity: mins.value,
      estimated: mins.estimated,
    }];
  },
};
