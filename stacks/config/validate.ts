/**
 * Validate a Gantry configuration: every bad field becomes one line that names the field path
 * and says what is allowed; all of them together are thrown as one `ConfigError`.
 */
import type { core } from 'zod';
import { UserError } from '../../auditor/errors';
import { gantryConfigSchema, type GantryConfig } from './schema';

/** A configuration with one or more bad fields. `problems` has one line per field. */
export class ConfigError extends UserError {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(file, problems.length === 1 ? problems[0] : `${problems.length} problems in the configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function allowed(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`} (got ${shown(issue.input)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${'input' in issue ? ` (got ${shown(issue.input)})` : ''}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? `must be at least ${issue.minimum} characters`
          : `must be ≥ ${issue.minimum}${'input' in issue ? ` (got ${shown(issue.input)})` : ''}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `allows at most ${issue.maximum} items`
        : issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters`
          : `must be ≤ ${issue.maximum}${'input' in issue ? ` (got ${shown(issue.input)})` : ''}`;
    case 'invalid_format':
      return `must be ${issue.message}${'input' in issue ? ` (got ${shown(issue.input)})` : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union': {
      const note = (issue as { note?: string }).note;
      const disc = (issue as { discriminator?: string }).discriminator;
      if (note === 'No matching discriminator' || disc) {
        const expected = /Expected (.*)$/.exec(issue.message)?.[1]?.replace(/'/g, '"').replace(/ \| /g, ', ');
        const input = 'input' in issue && issue.input && typeof issue.input === 'object' ? (issue.input as Record<string, unknown>)[disc ?? 'type'] : undefined;
        return `must be one of ${expected ?? 'the documented kinds'} (got ${shown(input)})`;
      }
      return issue.message;
    }
    default:
      return issue.message;
  }
}

/** Parse and default a configuration; throws `ConfigError` listing every bad field. */
export function validateConfig(raw: unknown, file = 'gantry.config.ts'): GantryConfig {
  const r = gantryConfigSchema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  const byField = new Map<string, string>();
  for (const issue of r.error.issues) {
    let path = [...issue.path];
    let what = allowed(issue);
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
      path = [...path, issue.keys[0]];
      what = 'unknown field (check the spelling against the config reference)';
    }
    const key = fieldPath(path);
    const prev = byField.get(key);
    if (!prev) byField.set(key, what);
    else if (!prev.includes(what)) byField.set(key, `${prev}; ${what}`);
  }
  throw new ConfigError(file, [...byField].map(([k, v]) => `${k}: ${v}`));
}
