import { structuralLimit, type StructuralLimit } from '../../../auditor/quotas/snapshot';

/** A structural limit from the bundled quota snapshot, with its citation for messages. */
export function limitOf(id: string): StructuralLimit & { cite: string } {
  const l = structuralLimit(id);
  const code = l.quotaCode ? `, ${l.serviceCode}/${l.quotaCode}` : '';
  const note = l.note ? `; ${l.note}` : '';
  return { ...l, cite: `${l.name}: ${l.defaultValue} ${l.unit}${code}${l.adjustable ? ' (adjustable)' : ' (fixed)'}; ${l.source}, checked ${l.checked}${note}` };
}
