import type { ResourceModel, ResourceNode } from '../../auditor/model/types';
import type { QuotaRow } from '../../auditor/report/contract';
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
    const firstNodes = firstNodesOf(model, ctx.quotas);
    for (let i = 0; i < ctx.quotas.length; i++) {
      const row = ctx.quotas[i];
      if (row.status === 'ok') continue;
      const node = representative(firstNodes, row.resources ?? []);
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

type Counted = { stack: string; address: string; type: string; count?: number };

/** stack → counted address → the first node at it (or an instance of that block), in model order; null while none is found. */
type FirstNodes = Map<string, Map<string, ResourceNode | null>>;

/**
 * The first node of every block a row that is not ok counted, found in one pass over the nodes
 * of the counted types (rather than one search of the whole model per row). An address names
 * its type, so the first node at it among its type's nodes (kept in model order) is the first
 * in the whole model.
 */
function firstNodesOf(model: ResourceModel, rows: readonly QuotaRow[]): FirstNodes {
  const wanted: FirstNodes = new Map();
  const types = new Set<string>();
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].status === 'ok') continue;
    const counted: readonly Counted[] = rows[i].resources ?? [];
    for (let j = 0; j < counted.length; j++) {
      let byAddress = wanted.get(counted[j].stack);
      if (byAddress === undefined) wanted.set(counted[j].stack, (byAddress = new Map()));
      if (!byAddress.has(counted[j].address)) {
        byAddress.set(counted[j].address, null);
        types.add(counted[j].type);
        missing++;
      }
    }
  }
  for (const type of types) {
    if (missing === 0) break;
    const nodes = model.byType(type);
    for (let i = 0; i < nodes.length && missing > 0; i++) {
      const n = nodes[i];
      const byAddress = wanted.get(n.stack);
      if (byAddress === undefined) continue;
      if (byAddress.get(n.address) === null) {
        byAddress.set(n.address, n);
        missing--;
      }
      const block = (n as ResourceNode & { blockAddress?: string }).blockAddress;
      if (block !== undefined && block !== n.address && byAddress.get(block) === null) {
        byAddress.set(block, n);
        missing--;
      }
    }
  }
  return wanted;
}

/** The first node of the counted block that contributes the most (a `count = 1001` block, not the one pipeline beside it). */
function representative(firstNodes: FirstNodes, counted: readonly Counted[]): ResourceNode | undefined {
  const byContribution = [...counted].sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  for (const c of byContribution) {
    const found = firstNodes.get(c.stack)?.get(c.address);
    if (found) return found;
  }
  return undefined;
}
