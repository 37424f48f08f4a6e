/**
 * The Terraform backend block is not a resource, but rules report on it: this gives each stack's
 * backend a stable pseudo-node (`terraform.backend.s3`) so findings name it and suppressions by
 * address (`gantry.suppressions.yml`) can match it.
 */
import type { BackendInfo, ResourceModel, ResourceNode, StackInfo } from '../../auditor/model/types';

export interface Backend {
  readonly stack: StackInfo;
  readonly backend: BackendInfo;
  readonly node: ResourceNode;
}

/** Every backend block of the audited stacks, with its pseudo-node. */
export function backends(model: ResourceModel): Backend[] {
  const out: Backend[] = [];
  for (const stack of model.stacks) {
    const backend = stack.backend;
    if (!backend) continue;
    const address = `terraform.backend.${backend.type}`;
    const values: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(backend.config)) values[k] = v;
    const node = {
      id: `${stack.name}/${address}`,
      stack: stack.name,
      address,
      blockAddress: address,
      mode: 'managed',
      type: `terraform_backend_${backend.type}`,
      name: backend.type,
      values,
      count: 1,
      references: [],
      suppressions: [],
      file: stack.file,
    } as unknown as ResourceNode;
    out.push({ stack, backend, node });
  }
  return out;
}

/** Backend config values of one type across stacks (e.g. every S3 backend's `bucket`). */
export function backendValues(model: ResourceModel, type: string, key: string): Set<string> {
  const out = new Set<string>();
  for (const s of model.stacks) {
    const v = s.backend?.type === type ? s.backend.config[key] : undefined;
    if (typeof v === 'string' && v !== '') out.add(v);
  }
  return out;
}
