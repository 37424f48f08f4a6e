/**
 * aws_codebuild_project: on-demand build minutes by compute type and environment type.
 * EC2 compute (general1 small…2xlarge; Linux, ARM, GPU, Windows) bills per minute; Lambda
 * compute (BUILD_LAMBDA_1GB…10GB) bills per second. Reserved-capacity fleets bill on the fleet.
 */
import type { ResourceNode } from '../../model/types';
import type { ComponentRequest, PricingContext, ResourcePricer, UsageKeySpec } from '../types';
import { block, shared, str, usage } from './helpers';

const USAGE: UsageKeySpec[] = [
  { key: 'monthly_build_mins', default: 500, description: 'Build minutes per month (default: 100 builds × 5 minutes, the tutorial\'s small team)' },
];

const SIZES: ReadonlyMap<string, string> = new Map([
  ['BUILD_GENERAL1_SMALL', 'small'],
  ['BUILD_GENERAL1_MEDIUM', 'medium'],
  ['BUILD_GENERAL1_LARGE', 'large'],
  ['BUILD_GENERAL1_XLARGE', 'xlarge'],
  ['BUILD_GENERAL1_2XLARGE', '2xlarge'],
]);

interface Platform {
  id: string;
  /** The component name and price id for one size (`small`), made once per size. */
  name: (size: string) => string;
  priceId: (size: string) => string;
}

function platformOf(id: string, label: string, family: string): Platform {
  return { id, name: shared((size: string) => `Build minutes (${label}, ${family}.${size})`), priceId: shared((size: string) => `codebuild.${id}.${size}`) };
}

const LINUX = platformOf('linux', 'Linux', 'general1');
const ARM = platformOf('arm', 'Linux ARM', 'arm1');
const GPU = platformOf('gpu', 'Linux GPU', 'gpu1');
const WINDOWS = platformOf('windows', 'Windows', 'general1');
const LAMBDA_ARM = platformOf('lambda.arm', 'Lambda ARM', 'lambda.arm');
const LAMBDA_X86 = platformOf('lambda.x86-64', 'Lambda x86-64', 'lambda.x86-64');

/** Environment type → snapshot platform. */
function platform(envType: string | undefined): Platform | undefined {
  switch (envType ?? 'LINUX_CONTAINER') {
    case 'LINUX_CONTAINER':
      return LINUX;
    case 'ARM_CONTAINER':
      return ARM;
    case 'LINUX_GPU_CONTAINER':
      return GPU;
    case 'WINDOWS_CONTAINER':
    case 'WINDOWS_SERVER_2019_CONTAINER':
    case 'WINDOWS_SERVER_2022_CONTAINER':
      return WINDOWS;
    case 'ARM_LAMBDA_CONTAINER':
      return LAMBDA_ARM;
    case 'LINUX_LAMBDA_CONTAINER':
      return LAMBDA_X86;
    default:
      return undefined;
  }
}

/** Lambda compute, per architecture: name and price id per memory size (`4` GB), made once each. */
const LAMBDA = {
  arm: { name: shared((gb: string) => `Build seconds (lambda.arm.${gb}GB)`), priceId: shared((gb: string) => `codebuild.lambda.arm.${gb}gb`) },
  'x86-64': { name: shared((gb: string) => `Build seconds (lambda.x86-64.${gb}GB)`), priceId: shared((gb: string) => `codebuild.lambda.x86-64.${gb}gb`) },
};

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
      const arch = LAMBDA[p === LAMBDA_ARM ? 'arm' : 'x86-64'];
      return [{ name: arch.name(lambda[1]), priceId: arch.priceId(lambda[1]), quantity: mins.value * 60, estimated: mins.estimated }];
    }
    const size = computeType ? SIZES.get(computeType) : undefined;
    if (!p || !size) {
      return [{
        name: `Build minutes (${envType ?? 'unknown environment'} ${computeType ?? 'unknown compute type'})`,
        priceId: `codebuild.unpriced.${envType ?? 'unknown'}.${computeType ?? 'unknown'}`,
        quantity: mins.value,
        estimated: mins.estimated,
      }];
    }
    return [{ name: p.name(size), priceId: p.priceId(size), quantity: mins.value, estimated: mins.estimated }];
  },
};
