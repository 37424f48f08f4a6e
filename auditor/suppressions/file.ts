/**
 * `gantry.suppressions.yml`: suppressions checked in next to the code, for findings a construct
 * cannot carry itself (a plan from elsewhere, a resource written in plain Terraform).
 *
 * ```yaml
 * version: 1
 * suppressions:
 *   - rule: iam/passrole-without-service      # the rule id
 *     stack: app-prod                         # the stack (`*`: every stack)
 *     resource: aws_iam_role.deploy           # the address (covers its instances `…[0]`), or
 *     # path: app-prod/pipeline/deploy-role   # the CDKTF construct path (it or a parent)
 *     detail: iam:PassRole                    # optional: only findings with this detail
 *     reason: CodeDeploy needs to pass this role to EC2 instances it launches
 *     expires: 2026-06-30                     # optional: stops working after this date
 * ```
 */
import * as fs from 'node:fs';
import { UserError } from '../errors';

export const MIN_REASON = 10;
const MAX_FILE_BYTES = 1024 * 1024;
const ENTRY_KEYS = new Set(['rule', 'stack', 'resource', 'path', 'detail', 'reason', 'expires']);

export interface FileSuppression {
  readonly ruleId: string;
  /** `*` matches every stack. */
  readonly stack: string;
  readonly resource?: string;
  readonly constructPath?: string;
  readonly detail?: string;
  readonly reason: string;
  readonly expires?: string;
  /** The file it came from and the entry's position (1-based), for messages. */
  readonly origin: string;
  readonly entry: number;
}

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Read and validate a suppressions file; every problem is a UserError naming the file and the entry. */
export function loadSuppressionsFile(file: string): FileSuppression[] {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new UserError(file, 'suppressions file is not a regular file');
    if (st.size > MAX_FILE_BYTES) throw new UserError(file, `suppressions file is larger than ${MAX_FILE_BYTES} bytes`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(file, `cannot read suppressions file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // Loaded here, not at the top: most audits have no suppressions file, and the yaml package
  // costs tens of milliseconds of start-up.
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new UserError(file, `not valid YAML: ${msg}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!isPlainObject(doc)) throw new UserError(file, 'expected a mapping with `version: 1` and `suppressions:`');
  for (const k of Object.keys(doc)) {
    if (k !== 'version' && k !== 'suppressions') throw new UserError(file, `unknown top-level key '${k}' (expected version, suppressions)`);
  }
  if (doc.version !== undefined && doc.version !== 1 && doc.version !== '1') throw new UserError(file, `unsupported version '${String(doc.version)}' (expected 1)`);
  const list = doc.suppressions;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new UserError(file, '`suppressions` must be a list');
  return list.map((raw, i) => parseEntry(file, raw, i + 1));
}

function parseEntry(file: string, raw: unknown, n: number): FileSuppression {
  const where = (extra = '') => `suppression #${n}${extra}`;
  if (!isPlainObject(raw)) throw new UserError(file, `${where()} must be a mapping`);
  for (const k of Object.keys(raw)) {
    if (!ENTRY_KEYS.has(k)) throw new UserError(file, `${where()}: unknown key '${k}' (expected ${[...ENTRY_KEYS].join(', ')})`);
  }
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (k === 'expires' && v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v !== 'string' && typeof v !== 'number') throw new UserError(file, `${where()}: '${k}' must be a string`);
    const s = String(v).trim();
    return s === '' ? undefined : s;
  };
  const ruleId = str('rule');
  if (!ruleId) throw new UserError(file, `${where()}: 'rule' is required`);
  const label = ` (${ruleId}${str('resource') ? ' on ' + str('resource') : str('path') ? ' on ' + str('path') : ''})`;
  const resource = str('resource');
  const constructPath = str('path');
  let stack = str('stack');
  if (!resource && !constructPath) throw new UserError(file, `${where(label)}: give 'resource' (with 'stack') or 'path'`);
  if (resource && constructPath) throw new UserError(file, `${where(label)}: give 'resource' or 'path', not both`);
  if (resource && !stack) throw new UserError(file, `${where(label)}: 'stack' is required with 'resource' (use '*' for every stack)`);
  if (!stack) stack = '*';
  const reason = str('reason');
  if (!reason || reason.length < MIN_REASON) {
    throw new UserError(file, `${where(label)}: 'reason' must be at least ${MIN_REASON} characters; say why the rule does not apply`);
  }
  const expires = str('expires');
  if (expires !== undefined && !isIsoDate(expires)) throw new UserError(file, `${where(label)}: 'expires' must be a date written YYYY-MM-DD, got '${expires}'`);
  const detail = str('detail');
  return {
    ruleId,
    stack,
    reason,
    origin: file,
    entry: n,
    ...(resource ? { resource } : {}),
    ...(constructPath ? { constructPath } : {}),
    ...(detail ? { detail } : {}),
    ...(expires ? { expires } : {}),
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
