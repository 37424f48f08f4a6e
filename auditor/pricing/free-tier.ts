/**
 * Always-free allowances, applied once per account after every resource is summed: for each
 * offer, the summed quantity of its price rows is reduced by the allowance, taken from
 * components in a stable order (stack, address, component) until it is used up.
 */
import type { FreeTierOffer, FreeTierUse, PricedComponent, PricedResource } from './types';

/**
 * Takes each offer's allowance off the components it covers (their `monthly`, and
 * `grossQuantity`/`freeQuantity` on the components it reaches), and re-sums the resources it
 * changed. Resources may share components lists and component objects, so a list is copied into
 * its resource, and a component into that list, before either is changed. `resources` must
 * already be in `byStackAndAddress` order: the order the allowance is handed out in.
 */
export function applyFreeTier(
  resources: readonly PricedResource[],
  offers: readonly FreeTierOffer[],
  cost: (r: PricedResource, c: PricedComponent, quantity: number) => number,
): FreeTierUse[] {
  // The offers (by index, ascending) that cover each price row.
  const offersOf = new Map<string, number[]>();
  offers.forEach((offer, i) => {
    for (const id of new Set(offer.rows)) {
      const list = offersOf.get(id);
      if (list) list.push(i);
      else offersOf.set(id, [i]);
    }
  });
  const n = offers.length;
  const left: number[] = [];
  const savings: number[] = [];
  const matched: boolean[] = [];
  for (let i = 0; i < n; i++) {
    left.push(offers[i].quantity);
    savings.push(0);
    matched.push(false);
  }
  // One pass over every component in (stack, address, component) order, each offer applied in turn.
  // An offer changes a component only where it reaches it, so this gives what handing out each
  // offer in full before the next would (same components, same amounts, same order of sums),
  // without lists of every component an offer covers.
  const changed: PricedResource[] = [];
  const copies = new Set<PricedComponent>();
  const ownLists = new Set<PricedComponent[]>();
  if (offersOf.size > 0) {
    for (let ri = 0; ri < resources.length; ri++) {
      const r = resources[ri];
      let components = r.components;
      let touched = false;
      for (let at = 0; at < components.length; at++) {
        const ids = offersOf.get(components[at].priceId);
        if (ids === undefined) continue;
        for (let k = 0; k < ids.length; k++) {
          const i = ids[k];
          matched[i] = true;
          if (left[i] <= 0) continue;
          let c = components[at];
          const gross = c.grossQuantity ?? c.quantity;
          const already = c.freeQuantity ?? 0;
          const take = Math.min(left[i], gross - already);
          if (take <= 0) continue;
          if (!copies.has(c)) {
            // This resource's own list and component (same fields, same order), which a later offer may change again.
            if (!ownLists.has(components)) {
              r.components = components = components.slice();
              ownLists.add(components);
            }
            c = copyOf(c);
            components[at] = c;
            copies.add(c);
          }
          const before = c.monthly;
          c.grossQuantity = gross;
          c.freeQuantity = already + take;
          c.monthly = round(cost(r, c, gross - c.freeQuantity));
          touched = true;
          left[i] -= take;
          savings[i] += before - c.monthly;
        }
      }
      if (touched) changed.push(r);
    }
  }
  const used: FreeTierUse[] = [];
  for (let i = 0; i < n; i++) {
    if (!matched[i]) continue;
    const offer = offers[i];
    used.push({
      id: offer.id,
      description: offer.description,
      allowance: offer.quantity,
      used: round(offer.quantity - left[i]),
      unit: offer.unit,
      savings: round(savings[i]),
      source: offer.source,
      asOf: offer.asOf,
    });
  }
  // A resource the allowance did not reach keeps the sum it has (the same sum, in the same order).
  for (const r of changed) {
    let monthly = 0;
    for (const c of r.components) monthly += c.monthly;
    r.monthly = round(monthly);
  }
  return used;
}

/**
 * A component's own copy, its fields in the same order. Copied field by field: a `{ ...c }` copy
 * gets a map of its own once the free tier's fields are added to it (~0.9 KB each; ~1 MB when a
 * thousand components are reached), these share one.
 */
function copyOf(c: PricedComponent): PricedComponent {
  const copy: Record<string, unknown> = {};
  for (const k in c) copy[k] = (c as unknown as Record<string, unknown>)[k];
  return copy as unknown as PricedComponent;
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
