/** The pricers' shared helpers. */
import { blockCount, blocks, shared } from '../../auditor/pricing/resources/helpers';

describe('shared', () => {
  it('makes each string once per key and hands the same string back after', () => {
    let made = 0;
    const name = shared((n: number) => {
      made++;
      return `Action execution minutes (V2, ${n} billable actions)`;
    });
    const a = name(3);
    expect(name(3)).toBe(a);
    expect(name(4)).toBe('Action execution minutes (V2, 4 billable actions)');
    expect(made).toBe(2);
  });
  it('keeps at most `max` strings (keys come from the input) and still answers right after clearing', () => {
    let made = 0;
    const id = shared((k: string) => {
      made++;
      return `x.${k}`;
    }, 2);
    expect([id('a'), id('b'), id('c'), id('a'), id('__proto__')]).toEqual(['x.a', 'x.b', 'x.c', 'x.a', 'x.__proto__']);
    expect(made).toBe(5);
  });
});

describe('blocks and blockCount', () => {
  it('hand back the array itself when every item is an object, else only its objects; count without a list', () => {
    const list = [{ a: 1 }, { b: 2 }];
    const mixed = [{ a: 1 }, 'x', null, { b: 2 }];
    const one = { a: 1 };
    const values: Record<string, unknown> = { list, mixed, one, none: undefined, text: 'x' };
    expect(blocks(values, 'list')).toBe(list);
    expect(blocks(values, 'mixed')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(blocks(values, 'one')).toEqual([one]);
    expect(blocks(values, 'none')).toEqual([]);
    expect(blocks(values, 'text')).toEqual([]);
    expect(blocks(values, 'missing')).toEqual([]);
    for (const k of ['list', 'mixed', 'one', 'none', 'text', 'missing']) expect(blockCount(values, k)).toBe(blocks(values, k).length);
  });
});
