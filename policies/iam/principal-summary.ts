import type { Rule, RuleResult } from '../rule';
import { principalsPermissions } from './lib/analysis';

/** Per role / user / group: how much it can do after wildcard expansion. */
export const rule: Rule = {
  id: 'iam/principal-summary',
  title: 'Effective permissions per principal',
  category: 'iam',
  severity: 'info',
  rationale:
    'Counting the actions a principal can perform after expanding every wildcard, and how many of them write or manage permissions, shows at a glance which roles carry the risk and whether a change widened them.',
  remediation: 'Informational. Review principals with many write or permissions-management actions first.',
  check(model, ctx) {
    const out: RuleResult[] = [];
    const principals = model.principals();
    const permissions = principalsPermissions(model, ctx.iam);
    for (let i = 0; i < principals.length; i++) {
      const p = principals[i];
      const perms = permissions[i];
      const { write, manage } = perms.allowed.levels();
      const unresolved = perms.unresolved ? `; ${perms.unresolved} polic${perms.unresolved === 1 ? 'y' : 'ies'} not evaluated` : '';
      out.push({
        node: p.node,
        message: `${p.node.address} can perform ${perms.allowed.size} actions after wildcard expansion: ${write} write, ${manage} permissions management; ${perms.unscoped.size} on every resource${unresolved}`,
      });
    }
    return out;
  },
};
