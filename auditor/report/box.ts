/**
 * A box-drawn text table with fixed column widths, for cells already wrapped to fit.
 *
 * Written instead of using cli-table3: its width measurement recompiles an ANSI regex for every
 * line of every cell, and a 64-finding table took 21 s to lay out on the 2-core CI machine
 * (profiled: 52 % of the time in ansi-regex). This one is linear in the text it prints.
 */

export type BoxRow = readonly string[] | { readonly span: string };

const width = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** `widths` are full column widths including one space of padding each side. */
export function box(head: readonly string[], widths: readonly number[], rows: readonly BoxRow[]): string {
  const inner = widths.map((w) => w - 2);
  const total = widths.reduce((a, b) => a + b, 0) + widths.length - 1;
  const rule = (l: string, mid: string, r: string) => l + widths.map((w) => '─'.repeat(w)).join(mid) + r;
  const fit = (s: string, w: number) => {
    const n = width(s);
    return n > w ? [...s].slice(0, Math.max(0, w - 1)).join('') + '…' : s + ' '.repeat(w - n);
  };
  const line = (cells: readonly string[]) => {
    const split = cells.map((c) => c.split('\n'));
    const h = Math.max(1, ...split.map((l) => l.length));
    const out: string[] = [];
    for (let i = 0; i < h; i++) out.push('│' + split.map((l, c) => ' ' + fit(l[i] ?? '', inner[c]) + ' ').join('│') + '│');
    return out;
  };
  const out: string[] = [rule('┌', '┬', '┐'), ...line(head)];
  let prevSpan = false;
  for (const row of rows) {
    if ('span' in row) {
      out.push(rule('├', '┴', '┤'));
      for (const l of row.span.split('\n')) out.push('│ ' + fit(l, total - 2) + ' │');
      prevSpan = true;
    } else {
      out.push(prevSpan ? rule('├', '┬', '┤') : rule('├', '┼', '┤'));
      out.push(...line(row));
      prevSpan = false;
    }
  }
  out.push(prevSpan ? '└' + '─'.repeat(total) + '┘' : rule('└', '┴', '┘'));
  return out.join('\n');
}
