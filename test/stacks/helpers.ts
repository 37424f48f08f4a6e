/** Test helpers: synthesize a configuration once and look resources up in the Terraform JSON. */
import { Testing } from 'cdktf';
import { buildApp } from '../../stacks/app';
import type { GantryConfigInput } from '../../stacks/config/schema';
import { validateConfig } from '../../stacks/config/validate';

export type TfJson = {
  terraform: { backend: Record<string, Record<string, unknown>>; required_providers: Record<string, unknown> };
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, unknown>;
};

/** Every stack of `config`, by name, as the Terraform JSON cdktf writes. */
export function synthConfig(config: GantryConfigInput): Record<string, TfJson> {
  const { bootstrap, applications } = buildApp(validateConfig(config), '/nonexistent-not-written');
  const out: Record<string, TfJson> = {};
  for (const s of [bootstrap, ...applications]) out[s.node.id] = JSON.parse(Testing.synth(s)) as TfJson;
  return out;
}

/** Resources of one type: [logical name, values]. */
export function resources(tf: TfJson, type: string): [string, Record<string, any>][] {
  return Object.entries(tf.resource[type] ?? {});
}

export function only(tf: TfJson, type: string): Record<string, any> {
  const r = resources(tf, type);
  if (r.length !== 1) throw new Error(`expected one ${type}, found ${r.length}`);
  return r[0][1];
}

export function named(tf: TfJson, type: string, name: string): Record<string, any> {
  const r = tf.resource[type]?.[name];
  if (!r) throw new Error(`no ${type}.${name}; have ${Object.keys(tf.resource[type] ?? {}).join(', ')}`);
  return r;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: any;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export function statements(policyJson: string): PolicyStatement[] {
  return (JSON.parse(policyJson) as { Statement: PolicyStatement[] }).Statement;
}

export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
