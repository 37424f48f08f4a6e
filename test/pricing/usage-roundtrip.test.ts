/**
 * `gantry usage init` on the example's own stacks (the committed plan fixtures) writes a
 * file that `gantry audit --usage` accepts as is: no unknown keys, every address names a resource
 * the audit priced (or tried to price).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseUsage } from '../../auditor/pricing/usage';
import { cli, tmpdir } from '../cli/harness';

const plans = path.join(__dirname, '../fixtures/plans');
const inputs = fs.readdirSync(plans).filter((f) => f.endsWith('.plan.json')).map((f) => path.join(plans, f));

describe('usage init → audit --usage round trip on the example', () => {
  it('writes a usage file the audit reads back without a warning about it', async () => {
    const dir = tmpdir('gantry-usage-rt-');
    const init = await cli(['usage', 'init', ...inputs, '--output', 'x.yml'], dir);
    expect(init.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'x.yml'), 'utf8');
    const usage = parseUsage(text, 'x.yml');
    expect(usage.resourceUsage.size).toBeGreaterThan(10);

    const audit = await cli(['audit', ...inputs, '--offline', '--fail-on', 'none', '--usage', 'x.yml', '--format', 'json'], dir);
    expect(audit.code).toBe(0);
    expect(audit.stderr).not.toMatch(/x\.yml/);
    const cost = JSON.parse(audit.stdout).cost;
    const seen = new Set<string>();
    for (const r of cost.resources) seen.add(`${r.stack}/${r.resource}`);
    for (const u of cost.unsupported) if (u.cause === 'no-price') seen.add(`${u.stack}/${u.resource}`);
    const bare = (a: string) => a.replace(/\[[^\]]*\]/g, '[*]');
    const seenBare = new Set([...seen].map((k) => bare(k.slice(k.indexOf('/') + 1))));
    const seenPrefixed = new Set([...seen].map(bare));
    for (const addr of usage.resourceUsage.keys()) {
      if (addr.includes('/')) expect(seenPrefixed).toContain(addr);
      else expect(seenBare).toContain(addr);
    }
    // The example is in eu-west-1 (not in the bundled snapshot): its resources are tried and listed, not dropped.
    expect(seen.size).toBeGreaterThan(10);
  });
});
