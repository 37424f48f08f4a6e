/** Test helper: GetProducts PriceList entries shaped exactly like the real API's JSON strings. */
/** A PriceList entry shaped exactly like GetProducts returns it: a JSON string per product. */
export function priceListEntry(opts: { sku: string; serviceCode: string; productFamily?: string; attributes: Record<string, string>; dims: { usd: string; unit: string; begin?: string; end?: string; description?: string }[] }): string {
  const term = `${opts.sku}.JRTCKXETXF`;
  const priceDimensions: Record<string, unknown> = {};
  opts.dims.forEach((d, i) => {
    priceDimensions[`${term}.${['6YS6EN2CT7', '8EEUB22XNJ', 'PGHJ3S3EYE'][i]}`] = {
      unit: d.unit,
      endRange: d.end ?? 'Inf',
      description: d.description ?? `$${d.usd} per ${d.unit}`,
      appliesTo: [],
      rateCode: `${term}.${['6YS6EN2CT7', '8EEUB22XNJ', 'PGHJ3S3EYE'][i]}`,
      beginRange: d.begin ?? '0',
      pricePerUnit: { USD: d.usd },
    };
  });
  return JSON.stringify({
    product: { productFamily: opts.productFamily, attributes: { servicecode: opts.serviceCode, ...opts.attributes }, sku: opts.sku },
    serviceCode: opts.serviceCode,
    terms: { OnDemand: { [term]: { priceDimensions, sku: opts.sku, effectiveDate: '2026-11-01T00:00:00Z', offerTermCode: 'JRTCKXETXF', termAttributes: {} } } },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

