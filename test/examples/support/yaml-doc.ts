/** Parsing helpers shared by the buildspec and appspec validators. */
import { parseDocument } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ParsedYaml {
  value: Json;
  /** the source text of the top-level `version` scalar (YAML turns `0.0` into the number 0) */
  versionSource: string | undefined;
  errors: string[];
}

export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: true });
  const errors = [...doc.errors, ...doc.warnings].map((e) => e.message.split('\n')[0]);
  let versionSource: string | undefined;
  const node = doc.contents && 'get' in doc.contents ? (doc.get('version', true) as { source?: string } | undefined) : undefined;
  if (node && typeof node === 'object' && typeof node.source === 'string') versionSource = node.source;
  return { value: (doc.toJS({ maxAliasCount: 100 }) ?? null) as Json, versionSource, errors };
}

export function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isStringList(v: Json | undefined): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** YAML 1.2 reads yes/no as strings, YAML 1.1 as booleans; CodeBuild and CodeDeploy accept both spellings. */
export function isYesNo(v: Json | undefined): boolean {
  return v === true || v === false || v === 'yes' || v === 'no' || v === 'true' || v === 'false';
}

export function unknownKeys(map: { [k: string]: Json }, allowed: readonly string[]): string[] {
  return Object.keys(map).filter((k) => !allowed.includes(k));
}
