/**
 * The loop most rules are: judge every managed resource of one type, in model order.
 *
 * A rule's `check` runs once per audit, so a loop written inside it mostly runs unoptimised; the
 * per-resource `judge` function, called once per resource, is what V8 optimises. Rules therefore
 * keep their per-resource work in a module-level function (no closure: anything it needs beyond
 * the resource comes in `arg`) and let this loop call it.
 */
import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { RuleResult } from '../rule';

export function judgeManaged<A>(model: ResourceModel, type: string, judge: (node: ResourceNode, results: RuleResult[], arg: A) => void, arg: A): RuleResult[] {
  const results: RuleResult[] = [];
  const nodes = model.byType(type);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.mode === 'managed') judge(node, results, arg);
  }
  return results;
}
