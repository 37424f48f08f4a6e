import { main } from '../../auditor/cli/main';
import type { CliIo } from '../../auditor/cli/io';
import { ALL_RULES } from '../../policies';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('gantry rules', () => {
  it('lists every rule of the catalogue, once, with its default severity (json)', async () => {
    const io = capture();
    expect(await main(['rules', '--format', 'json'], io)).toBe(0);
    const listed = JSON.parse(io.out) as { id: string; severity: string; category: string }[];
    expect(listed.map((r) => r.id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    const iamAdmin = listed.find((r) => r.id === 'iam/admin-star');
    expect(iamAdmin).toMatchObject({ category: 'iam', severity: 'critical' });
  });

  it('renders a Markdown table with one row per rule and a table with a count line', async () => {
    const md = capture();
    expect(await main(['rules', '--format', 'markdown'], md)).toBe(0);
    const rows = md.out.trim().split('\n').slice(2);
    expect(rows).toHaveLength(ALL_RULES.length);
    expect(rows.every((r) => r.startsWith('| `'))).toBe(true);
    const table = capture();
    expect(await main(['rules'], table)).toBe(0);
    expect(table.out.trim().split('\n').pop()).toBe(`${ALL_RULES.length} rules`);
    for (const line of table.out.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('refuses an unknown format with exit 2 and one line', async () => {
    const io = capture();
    expect(await main(['rules', '--format', 'xml'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toMatch(/^gantry: .*xml/);
  });
});
