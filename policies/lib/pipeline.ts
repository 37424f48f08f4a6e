/**
 * CodePipeline structure, flattened: every action with its stage position and run order, and
 * what it says about the environment it deploys to.
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import { suggestsProduction } from './names';
import { block, blockCount, blockItems, isObj, literal, num, parseJson, type Obj } from './values';

export interface PipelineAction {
  readonly stageIndex: number;
  readonly stageName: string;
  readonly name: string;
  readonly category: string;
  readonly owner: string;
  readonly provider: string;
  /** run_order (1 when absent or not known). */
  readonly runOrder: number;
  readonly configuration: Obj;
}

function pipelineActions(pipeline: ResourceNode): PipelineAction[] {
  const stages = blockItems(pipeline.values.stage);
  let total = 0;
  for (let stageIndex = 0; stageIndex < stages.length; stageIndex++) total += blockCount(stages[stageIndex].action);
  const out: PipelineAction[] = new Array(total);
  let n = 0;
  for (let stageIndex = 0; stageIndex < stages.length; stageIndex++) {
    const stage = stages[stageIndex];
    const stageName = literal(stage.name) ?? `stage ${stageIndex + 1}`;
    const actions = blockItems(stage.action);
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      const ro = num(action.run_order);
      out[n++] = {
        stageIndex,
        stageName,
        name: literal(action.name) ?? '(unnamed)',
        category: literal(action.category) ?? '',
        owner: literal(action.owner) ?? '',
        provider: literal(action.provider) ?? '',
        runOrder: typeof ro === 'number' ? ro : 1,
        configuration: block(action.configuration) ?? (Object.create(null) as Obj),
      };
    }
  }
  return out;
}

/** Keyed by the pipeline's values: the actions are read from them alone. */
const actionsCache = new WeakMap<object, readonly PipelineAction[]>();

/** `pipelineActions(pipeline)`, made once per pipeline and shared, read-only, by the rules that walk them. */
export function actionsOf(pipeline: ResourceNode): readonly PipelineAction[] {
  let actions = actionsCache.get(pipeline.values);
  if (actions === undefined) actionsCache.set(pipeline.values, (actions = pipelineActions(pipeline)));
  return actions;
}

export function isManualApproval(a: PipelineAction): boolean {
  return a.category === 'Approval' && a.provider === 'Manual';
}

const DEPLOY_WORD = /(deploy|release|apply|promot|rollout)/i;

/** Deploy actions, and build/invoke actions whose name or stage says they deploy (terraform apply in CodeBuild, a deploy Lambda). */
export function isDeployAction(a: PipelineAction): boolean {
  if (a.category === 'Deploy') return true;
  if (a.category !== 'Build' && a.category !== 'Invoke') return false;
  // No alternative spans a space, so testing the two names apart equals testing "name stageName".
  return DEPLOY_WORD.test(a.name) || DEPLOY_WORD.test(a.stageName);
}

/** Configuration keys whose values name the deployment target. */
const TARGET_KEYS = ['DeploymentGroupName', 'ApplicationName', 'StackName', 'EnvironmentName', 'ProjectName', 'FunctionName', 'ClusterName', 'ServiceName', 'BucketName', 'UserParameters'];
/** Attributes of a referenced resource that name its environment. */
const NAME_ATTRS = ['deployment_group_name', 'app_name', 'name', 'environment_name', 'function_name', 'bucket'];
const ENV_TAGS = /^(env|environment|stage|tier)$/i;
const ENV_VAR_NAME = /(^|_)(ENV|ENVIRONMENT|STAGE|TARGET|WORKSPACE)$/i;

/** Why an action deploys to production (the text that says so), or undefined. */
export function productionEvidence(model: ResourceModel, pipeline: ResourceNode, a: PipelineAction): string | undefined {
  if (suggestsProduction(a.stageName)) return `stage "${a.stageName}"`;
  if (suggestsProduction(a.name)) return `action "${a.name}"`;
  for (let k = 0; k < TARGET_KEYS.length; k++) {
    const key = TARGET_KEYS[k];
    const v = a.configuration[key];
    if (typeof v !== 'string') continue;
    const lit = literal(v);
    if (lit !== undefined) {
      if (suggestsProduction(lit)) return `${key} "${lit}"`;
      continue;
    }
    const ref = model.resolve(pipeline.stack, v);
    if (!ref) continue;
    for (let i = 0; i < NAME_ATTRS.length; i++) {
      const attr = NAME_ATTRS[i];
      const n = literal(ref.values[attr]);
      if (n !== undefined && suggestsProduction(n)) return `${key} → ${ref.address} (${attr} "${n}")`;
    }
    const tags = ref.values.tags;
    if (isObj(tags)) {
      for (const [k, tv] of Object.entries(tags)) {
        if (ENV_TAGS.test(k) && typeof tv === 'string' && suggestsProduction(tv)) return `${key} → ${ref.address} (tag ${k}=${tv})`;
      }
    }
  }
  // CodeBuild actions: EnvironmentVariables is a JSON list of {name, value, type}.
  const envVars = parseJson(a.configuration.EnvironmentVariables);
  if (Array.isArray(envVars)) {
    for (const e of envVars) {
      if (!isObj(e)) continue;
      const name = typeof e.name === 'string' ? e.name : '';
      const value = typeof e.value === 'string' ? e.value : '';
      if (ENV_VAR_NAME.test(name) && suggestsProduction(value)) return `EnvironmentVariables ${name}=${value}`;
    }
  }
  return undefined;
}
