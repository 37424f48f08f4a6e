import type { Rule, RuleResult } from '../rule';
import type { IamCatalog } from '../context';
import { splitAction, hasWildcard } from '../../auditor/iam/expand';
import { documents, labelOf } from './lib/analysis';

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Why a pattern matches nothing, with a suggestion when one is close. */
export function explainUnknown(iam: IamCatalog, pattern: string): string {
  const split = splitAction(pattern);
  if (!split) return `"${pattern}" is not an action (expected service:Action)`;
  if (!hasWildcard(split.service) && !iam.serviceExists(split.service)) return `"${pattern}": unknown service "${split.service}"`;
  if (hasWildcard(split.action) || hasWildcard(split.service)) return `"${pattern}" matches no action`;
  const target = split.action.toLowerCase();
  let best: string | undefined;
  let bestD = 4;
  for (const a of iam.expand(`${split.service}:*`)) {
    const name = a.slice(a.indexOf(':') + 1).toLowerCase();
    const d = distance(target, name, bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return `"${pattern}": ${split.service} has no action "${split.action}"${best ? ` (did you mean ${best}?)` : ''}`;
}

/** Action patterns that match no known action: typos, unknown services, malformed strings. */
export const rule: Rule = {
  id: 'iam/unknown-action',
  title: 'Policy names an action that does not exist',
  category: 'iam',
  severity: 'medium',
  rationale:
    'IAM ignores actions it does not know. A typo in an Allow silently grants nothing (and invites someone to "fix" it with a wildcard); a typo in a Deny silently denies nothing.',
  remediation: 'Correct the action name against the AWS Service Authorization Reference (the message suggests the closest action when there is one).',
  check(model, ctx) {
    const out: RuleResult[] = [];
    const docs = documents(model);
    for (const list of [docs.identity, docs.trust, docs.resource]) {
      // Indexed loops: a rule runs once per audit, mostly before its loops are optimised, and for-of makes an iterator result per element there.
      for (let d = 0; d < list.length; d++) {
        const doc = list[d];
        const statements = doc.document.statements;
        for (let i = 0; i < statements.length; i++) {
          const s = statements[i];
          const patterns = s.actions ?? s.notActions;
          if (!patterns) continue;
          for (let k = 0; k < patterns.length; k++) {
            const pattern = patterns[k];
            if (pattern.includes('${') || pattern.startsWith('(')) continue;
            if (ctx.iam.expand(pattern).length > 0) continue;
            out.push({
              node: doc.node,
              detail: pattern,
              message: `${doc.policy.name} statement ${labelOf(s, i)} (${s.effect}): ${explainUnknown(ctx.iam, pattern)}${s.effect === 'Deny' ? ' — this Deny denies nothing' : ''}`,
            });
          }
        }
      }
    }
    return out;
  },
};
