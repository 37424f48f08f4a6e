import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';

/**
 * Turns the quota rows computed before rules run (ctx.quotas) into findings: exceeded → high,
 * warning → medium, on a representative resource of the counted type. Quotas whose overflow
 * does not break the apply (`impact: runtime` — concurrent builds queue) are one level lower.
 */
export const rule: Rule = {
  id: 'quota/service-quota',
  title: 'Planned resources fit the account\'s service quotas',
  category: 'quota',
  severity: 'high',
  rationale:
    'An apply that hits a service quota stops half way and leaves a half-built pipeline. Planned creations plus current usage are compared with the applied quota (live) or AWS\'s default (snapshot).',
  remediation: 'Request a quota increase in Service Quotas before applying (it can take days), spread the resources over regions or accounts, or create fewer.',
  check(model, ctx) {
    const results: RuleResult[] = [];
    for (let i = 0; i < ctx.quotas.length; i++) {
      const row = ctx.quotas[i];
      if (row.status === 'ok') continue;
      const node = representative(model, row.resources ?? []);
      if (!node) continue;
      const runtime = row.impact === 'runtime';
      const severity = row.status === 'exceeded' ? (runtime ? 'medium' : 'high') : runtime ? 'low' : 'medium';
      const where = `${row.region === 'global' ? (row.scope === 'account' ? 'account-wide' : 'global') : row.region}${row.accountId ? `, account ${row.accountId}` : ''}${row.group ? `, ${row.group}` : ''}`;
      const current = row.currentUsage === null ? 'current usage unknown' : `${row.currentUsage} in use`;
      const pct = Math.round(row.utilization * 1000) / 10;
      const limit = `${row.limit} (${row.limitSource === 'live' ? 'applied value' : 'AWS default'}; ${row.source ?? 'snapshot'}${row.asOf ? `, ${row.asOf}` : ''})`;
      const what = row.status === 'exceeded' ? 'exceeds' : 'nears';
      results.push({
        node,
        severity,
        detail: `${row.service}/${row.quotaCode}${row.group ? ` ${row.group}` : ''} ${row.region}`,
        message: `${row.planned} planned + ${current} ${what} ${row.service} quota "${row.quotaName}" (${row.quotaCode}) in ${where}: ${pct}% of ${limit}${runtime ? '; going over queues work rather than failing the apply' : ''}`,
      });
    }
    return results;
  },
};

/** The first node of the counted block that contributes the most (a `count = 1001` block, not the one pipeline beside it). */
function representative(model: ResourceModel, counted: readonly { stack: string; address: string; count?: number }[]): ResourceNode | undefined {
  const byContribution = [...counted].sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  for (const c of byContribution) {
    const found = firstAt(model.resources, c.stack, c.address);
    if (found) return found;
  }
  return undefined;
}

/** The first node, in model order, at `address` (or an instance of that block) in `stack`. */
function firstAt(nodes: readonly ResourceNode[], stack: string, address: string): ResourceNode | undefined {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.stack === stack && (n.address === address || (n as ResourceNode & { blockAddress?: string }).blockAddress === address)) return n;
  }
  return undefined;
}
