/**
 * IAM wildcard matching, written for Gantry (no AGPL expansion packages).
 *
 * IAM action patterns use `*` (any run of characters, including none) and `?` (exactly one
 * character) and compare case-insensitively. The service prefix and the action name are matched
 * separately, so `s3*:Get*` is a pattern over services and over actions.
 */

const REGEX_SPECIAL = /[.+^${}()|[\]\\/]/g;

const compiled = new Map<string, RegExp>();

/** A case-insensitive, anchored RegExp for one IAM wildcard pattern (memoised). */
export function wildcardRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const body = pattern.replace(REGEX_SPECIAL, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    if (compiled.size > 50_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

const NON_ASCII = /[^\x00-\x7f]/;

/** `a.toLowerCase() === b.toLowerCase()`, without the copies when both are ASCII (action names are). */
export function equalsIgnoringCase(a: string, b: string): boolean {
  if (a.length !== b.length) return NON_ASCII.test(a) || NON_ASCII.test(b) ? a.toLowerCase() === b.toLowerCase() : false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 128 || y >= 128) return a.toLowerCase() === b.toLowerCase();
    const lx = x | 32;
    if (lx !== (y | 32) || lx < 97 || lx > 122) return false;
  }
  return true;
}

/** Does `value` match the IAM wildcard `pattern` (case-insensitive)? */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return equalsIgnoringCase(pattern, value);
  if (pattern === '*') return true;
  return wildcardRegExp(pattern).test(value);
}

export interface SplitAction {
  readonly service: string;
  readonly action: string;
}

/**
 * Split `service:Action` into its parts. `*` alone means every action of every service.
 * Returns undefined for strings that are not action patterns (no colon, empty parts, more than one colon).
 */
export function splitAction(pattern: string): SplitAction | undefined {
  if (pattern === '*') return { service: '*', action: '*' };
  const colon = pattern.indexOf(':');
  if (colon <= 0 || colon === pattern.length - 1) return undefined;
  if (pattern.indexOf(':', colon + 1) !== -1) return undefined;
  return { service: pattern.slice(0, colon), action: pattern.slice(colon + 1) };
}

/**
 * Expand a pattern against a catalog of services and actions.
 * `services()` lists every service prefix; `actionsOf(prefix)` lists canonical `prefix:Name` actions.
 */
export function expandPattern(
  pattern: string,
  services: () => readonly string[],
  actionsOf: (service: string) => readonly string[],
): string[] {
  const split = splitAction(pattern.trim());
  if (!split) return [];
  const svcPattern = split.service.toLowerCase();
  const matchingServices = hasWildcard(svcPattern)
    ? services().filter((s) => wildcardMatch(svcPattern, s))
    : services().includes(svcPattern)
      ? [svcPattern]
      : [];
  const out: string[] = [];
  const actionPattern = split.action;
  const all = actionPattern === '*';
  const re = all ? undefined : hasWildcard(actionPattern) ? wildcardRegExp(actionPattern) : undefined;
  const literal = all || re ? undefined : actionPattern.toLowerCase();
  for (const svc of matchingServices) {
    const actions = actionsOf(svc);
    if (all) {
      for (const a of actions) out.push(a);
      continue;
    }
    const offset = svc.length + 1;
    for (const a of actions) {
      const name = a.slice(offset);
      if (re ? re.test(name) : name.toLowerCase() === literal) out.push(a);
    }
  }
  return out;
}
