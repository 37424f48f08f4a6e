/** The loader on plans of Gantry's own stacks (test/fixtures/plans, made by terraform from the stacks). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInputs } from '../../auditor/load';

const DIR = path.join(__dirname, '..', 'fixtures', 'plans');
const plans = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.plan.json')) : [];

(plans.length ? describe : describe.skip)("loader on Gantry's own plans", () => {
  const m = loadInputs(plans.map((f) => path.join(DIR, f)));

  it('loads every plan as one stack with every resource change as a node', () => {
    expect(m.stacks.map((s) => s.kind)).toEqual(plans.map(() => 'plan'));
    for (const [i, f] of plans.entries()) {
      const plan = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
      const stack = m.stacks[i].name;
      const nodes = m.resources.filter((n) => n.stack === stack);
      const changes = (plan.resource_changes as { address: string; deposed?: string }[]).filter((c) => !c.deposed).map((c) => c.address);
      expect(nodes.filter((n) => n.action !== undefined).map((n) => n.address).sort()).toEqual([...changes].sort());
      expect(nodes.every((n) => n.count === 1 && n.file === path.join(DIR, f))).toBe(true);
    }
  });

  it('links each bucket to its encryption configuration, public access block and policy', () => {
    const buckets = m.byType('aws_s3_bucket').filter((b) => b.mode === 'managed');
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) {
      const linked = new Set(m.referencing(b).map((n) => n.type));
      expect([b.id, [...linked].filter((t) => t.startsWith('aws_s3_bucket_')).sort()]).toEqual([b.id, expect.arrayContaining(['aws_s3_bucket_public_access_block', 'aws_s3_bucket_server_side_encryption_configuration'])]);
    }
  });

  it('resolves every role with a trust policy and documents for its identity policies', () => {
    const principals = m.principals();
    expect(principals.length).toBeGreaterThan(0);
    for (const p of principals) {
      expect([p.node.id, p.trust?.unresolved]).toEqual([p.node.id, undefined]);
      expect(p.trust!.document!.statements.length).toBeGreaterThan(0);
      for (const v of p.policies) expect([v.name, v.unresolved ?? null, v.kind === 'aws-managed' || v.document !== undefined]).toEqual([v.name, null, true]);
    }
    // Scoped references survive the plan: `${aws_x.y.arn}`-style resources resolve to nodes of the same stack.
    const refs = principals.flatMap((p) => p.policies.flatMap((v) => (v.document?.statements ?? []).flatMap((st) => (st.resources ?? []).filter((r) => r.startsWith('${aws_')).map((r) => [p.node.stack, r] as const))));
    expect(refs.length).toBeGreaterThan(0);
    for (const [stack, r] of refs) expect([r, m.resolve(stack, r)?.stack]).toEqual([r, stack]);
  });
});
