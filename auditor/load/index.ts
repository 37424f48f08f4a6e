/**
 * Loaders: every input Gantry audits becomes one ResourceModel.
 *
 * - modelFromTerraformJson: parsed Terraform JSON configurations, keyed by stack name.
 * - modelFromPlan: a parsed `terraform show -json` plan (format 1.x).
 * - loadInputs: paths on disk (cdktf.out folder, stack folder, *.tf.json, plan JSON), merged.
 */
import { Model } from '../model/model';
import type { Node } from '../model/node';
import type { ResourceModel, StackInfo } from '../model/types';
import { rawFromConfig } from './config';
import { DEFAULT_MAX_DEPTH, sanitise } from './guard';


export interface TerraformJsonOptions {
  /** File each stack came from (default `<stack>.tf.json`). */
  readonly files?: Readonly<Record<string, string>>;
  /** What to list as the model's inputs (default the file names). */
  readonly inputs?: readonly string[];
  readonly maxDepth?: number;
}

export function modelFromTerraformJson(stacks: Record<string, unknown>, opts: TerraformJsonOptions = {}): ResourceModel {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const infos: StackInfo[] = [];
  const nodes: Node[] = [];
  for (const name of Object.keys(stacks)) {
    const file = opts.files?.[name] ?? `${name}.tf.json`;
    const value = stacks[name];
    const r = rawFromConfig(sanitise(value, file, maxDepth, true), name, file);
    infos.push(r.stack);
    for (const n of r.nodes) nodes.push(n);
  }
  return new Model(opts.inputs ?? infos.map((s) => s.file), infos, nodes);
}

export { modelFromPlan } from './plan';
export { loadInputs } from './files';
export type { LoadOptions } from './files';
