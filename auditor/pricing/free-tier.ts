/**
 * Always-free allowances, applied once per account after every resource is summed: for each
 * offer, the summed quantity of its price rows is reduced by the allowance, taken from
 * components in a stable order (stack, address, component) until it is used up.
 */
import type { FreeTierOffer, FreeTierUse, PricedComponent, PricedResource } from './types';

export function applyFreeTier(
  resources: PricedResource[],
  offers: readonly FreeTierOffer[],
  cost: (c: PricedComponent, quantity: number) => number,
): FreeTierUse[] {
  const used: FreeTierUse[] = [];
  const ordered = [...resources].sort(byStackAndAddress);
  // One pass over every component: each offer's components, in (stack, address, component) order.
  const offersOf = new Map<string, number[]>();
  offers.forEach((offer, i) => {
    for (const id of new Set(offer.rows)) {
      const list = offersOf.get(id);
      if (list) list.push(i);
      else offersOf.set(id, [i]);
    }
  });
  const matched: PricedComponent[][] = offers.map(() => []);
  if (offersOf.size > 0) {
    for (const r of ordered) {
      for (const c of r.components) {
        const ids = offersOf.get(c.priceId);
        if (ids) for (const i of ids) matched[i].push(c);
      }
    }
  }
  for (let i = 0; i < offers.length; i++) {
    const offer = offers[i];
    const components = matched[i];
    let left = offer.quantity;
    let savings = 0;
    const any = components.length > 0;
    for (const c of components) {
      if (left <= 0) break;
      const gross = c.grossQuantity ?? c.quantity;
      const already = c.freeQuantity ?? 0;
      const chargeable = gross - already;
      const take = Math.min(left, chargeable);
      if (take <= 0) continue;
      const before = c.monthly;
      c.grossQuantity = gross;
      c.freeQuantity = already + take;
      c.monthly = round(cost(c, gross - c.freeQuantity));
      left -= take;
      savings += before - c.monthly;
    }
    if (any) {
      used.push({
        id: offer.id,
        description: offer.description,
        allowance: offer.quantity,
        used: round(offer.quantity - left),
        unit: offer.unit,
        savings: round(savings),
        source: offer.source,
        asOf: offer.asOf,
      });
    }
  }
  for (const r of resources) r.monthly = round(r.components.reduce((s, c) => s + c.monthly, 0));
  return used;
}

/** One collator for every comparison: the same order as `localeCompare` without its per-call setup. */
const collator = new Intl.Collator();

/** Stack, then address, in locale order (the cost section's order). */
export function byStackAndAddress(a: { stack: string; resource: string }, b: { stack: string; resource: string }): number {
  return a.stack === b.stack ? collator.compare(a.resource, b.resource) : collator.compare(a.stack, b.stack);
}

/** Money rounded to 1/10,000 of a cent-free dollar (4 decimals) to keep sums stable. */
export function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
