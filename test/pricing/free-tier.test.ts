/** applyFreeTier on its own: order, offers sharing a row, components shared between resources. */
import { applyFreeTier } from '../../auditor/pricing/free-tier';
import type { FreeTierOffer, PricedComponent, PricedResource } from '../../auditor/pricing/types';

const offer = (id: string, rows: string[], quantity: number): FreeTierOffer => ({ id, description: id, rows, quantity, unit: 'units', source: 'https://example.com/', asOf: '2025-01-01' });
const resource = (address: string, components: PricedComponent[]): PricedResource => ({
  resource: address, stack: 's', type: 't', region: 'us-east-1', count: 1, monthly: components.reduce((s, c) => s + c.monthly, 0), components,
});

describe('applyFreeTier', () => {
  it('copies a component shared by several resources before changing it, and hands allowances out in order', () => {
    const shared: PricedComponent = { name: 'Thing', unit: 'units', quantity: 10, unitPrice: 1, monthly: 10, priceId: 'x', estimated: true };
    const other: PricedComponent = { name: 'Other', unit: 'units', quantity: 4, unitPrice: 1, monthly: 4, priceId: 'y' };
    const r1 = resource('t.a', [shared, other]);
    const r2 = resource('t.b', [shared]);
    const used = applyFreeTier([r1, r2], [offer('A', ['x'], 5), offer('B', ['x', 'x'], 8)], (_r, _c, q) => q * 1);
    // A: 5 of a's 10. B: a's other 5, then 3 of b's.
    expect(r1.components[0]).toEqual({ name: 'Thing', unit: 'units', quantity: 10, unitPrice: 1, monthly: 0, priceId: 'x', estimated: true, grossQuantity: 10, freeQuantity: 10 });
    expect(r2.components[0]).toEqual({ name: 'Thing', unit: 'units', quantity: 10, unitPrice: 1, monthly: 7, priceId: 'x', estimated: true, grossQuantity: 10, freeQuantity: 3 });
    expect(Object.keys(r2.components[0])).toEqual(['name', 'unit', 'quantity', 'unitPrice', 'monthly', 'priceId', 'estimated', 'grossQuantity', 'freeQuantity']);
    // The shared object itself is untouched; a component no offer covers stays the same object.
    expect(shared).toEqual({ name: 'Thing', unit: 'units', quantity: 10, unitPrice: 1, monthly: 10, priceId: 'x', estimated: true });
    expect(r1.components[1]).toBe(other);
    expect([r1.monthly, r2.monthly]).toEqual([4, 7]);
    expect(used.map((u) => [u.id, u.used, u.savings])).toEqual([['A', 5, 5], ['B', 8, 8]]);
  });

  it('copies a components list shared by several resources before changing it', () => {
    const c: PricedComponent = { name: 'Thing', unit: 'units', quantity: 10, unitPrice: 1, monthly: 10, priceId: 'x' };
    const other: PricedComponent = { name: 'Other', unit: 'units', quantity: 4, unitPrice: 1, monthly: 4, priceId: 'y' };
    const list = [c, other];
    const r1 = resource('t.a', list);
    const r2 = resource('t.b', list);
    applyFreeTier([r1, r2], [offer('A', ['x'], 3)], (_r, _c, q) => q * 1);
    // a gets its own list (and component); b keeps the shared list, unchanged.
    expect(r1.components).not.toBe(list);
    expect(r1.components[0]).toMatchObject({ monthly: 7, grossQuantity: 10, freeQuantity: 3 });
    expect(r1.components[1]).toBe(other);
    expect(r2.components).toBe(list);
    expect(list).toEqual([c, other]);
    expect(c.monthly).toBe(10);
    expect([r1.monthly, r2.monthly]).toEqual([11, 14]);
  });

  it('reports only offers with a component to apply to', () => {
    const c: PricedComponent = { name: 'Thing', unit: 'units', quantity: 1, unitPrice: 1, monthly: 1, priceId: 'x' };
    const r = resource('t.a', [c]);
    expect(applyFreeTier([r], [offer('none', ['z'], 5)], () => 0)).toEqual([]);
    expect(r.components[0]).toBe(c);
  });

  it('gives what handing out each offer in full, one after another, would: offers listed in offer order, used-up offers still listed', () => {
    const mk = (q: number, id = 'x'): PricedComponent => ({ name: 'Thing', unit: 'units', quantity: q, unitPrice: 1, monthly: q, priceId: id });
    const rs = [resource('t.a', [mk(2), mk(3, 'y')]), resource('t.b', [mk(4)]), resource('t.c', [mk(6, 'y'), mk(1)]), resource('t.d', [mk(9)])];
    // C (rows y, x) comes after B (row x) whose allowance ends inside t.b; D covers x but has nothing left to give.
    const used = applyFreeTier(rs, [offer('D', ['x'], 0), offer('B', ['x'], 4), offer('C', ['y', 'x'], 7)], (_r, _c, q) => q * 1);
    expect(used.map((u) => [u.id, u.used, u.savings])).toEqual([['D', 0, 0], ['B', 4, 4], ['C', 7, 7]]);
    // t.a: x 2 free (B), y 3 free (C); t.b: x 2 free (B) + 2 free (C); t.c: y 2 free (C), x untouched; t.d untouched.
    expect(rs.map((r) => r.components.map((c) => [c.freeQuantity, c.monthly]))).toEqual([
      [[2, 0], [3, 0]],
      [[4, 0]],
      [[2, 4], [undefined, 1]],
      [[undefined, 9]],
    ]);
    expect(rs.map((r) => r.monthly)).toEqual([0, 0, 5, 9]);
  });
});
