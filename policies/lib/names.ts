/**
 * Name heuristics shared by rules: what looks like a secret, an AWS credential, or production.
 */

/** Environment-variable names that hold AWS credentials. */
const AWS_CREDENTIAL_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']);

/** Every credential name holds KEY or TOKEN: ASCII names without either are answered without upper-casing them. */
const MAY_NAME_CREDENTIAL = /key|token/i;

export function isAwsCredentialName(name: string): boolean {
  if (isAscii(name) && !MAY_NAME_CREDENTIAL.test(name)) return false;
  const n = name.trim().toUpperCase();
  return AWS_CREDENTIAL_NAMES.has(n) || /(^|_)(SECRET_ACCESS_KEY|ACCESS_KEY_ID)$/.test(n);
}

/** An access key id (long-term `AKIA…`, temporary `ASIA…`): 20 characters, upper-case letters and digits. */
const ACCESS_KEY_ID = /(^|[^A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])/;

export function findAccessKeyId(value: string): string | undefined {
  const m = ACCESS_KEY_ID.exec(value);
  return m ? m[2] : undefined;
}

/** A secret access key: 40 base64 characters with upper- and lower-case letters (hex digests excluded). */
export function looksLikeSecretAccessKey(value: string): boolean {
  const v = value.trim();
  return /^[A-Za-z0-9/+]{40}$/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /\d/.test(v) && !/^[0-9a-fA-F]{40}$/.test(v);
}

const SECRET_WORD = /(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?SECRET)/;
/** Names that point at a secret rather than hold one (`DB_PASSWORD_ARN`, `TOKEN_PARAMETER_NAME`). */
const POINTER_SUFFIX = /_(ARN|NAME|ID|PATH|PARAM|PARAMETER|PARAMETER_NAME|SECRET_ID|URL|URI|FILE|REF|KEY_ID|TTL|EXPIRY|LENGTH)$/;

/** Every SECRET_WORD holds one of these (its `_?` joins only before KEY): ASCII names without any cannot match. */
const MAY_NAME_SECRET = /passw|pwd|secret|token|key|credential/i;

/** Does an environment-variable (or parameter) name suggest that its value is a secret? */
export function isSecretName(name: string): boolean {
  if (isAscii(name) && !MAY_NAME_SECRET.test(name)) return false;
  const n = name.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  if (!SECRET_WORD.test(n)) return false;
  return !POINTER_SUFFIX.test(n);
}

/** Does free text (an SSM parameter name or description) suggest that it holds a secret? */
export function mentionsSecret(text: string): boolean {
  return /(password|passwd|secret|token|api[-_ ]?key|private[-_ ]?key|credential|client[-_ ]?secret)/i.test(text);
}

/** The words of an identifier or phrase: `ProdDeploy-eu_west` → prod, deploy, eu, west. */
export function words(text: string): string[] {
  return text
    .replace(/(pre|non)[-_ ]?(prod(uction)?)/gi, (m: string) => m.replace(/[-_ ]/g, '').toLowerCase())
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const PRODUCTION_WORDS = new Set(['prod', 'production', 'prd', 'live']);

/**
 * Every production word holds one of these (ASCII, any case), and `words` only lower-cases, splits
 * and drops separators inside pre-/non-prod: text without them has no production word, and is
 * answered without splitting it.
 */
const MAY_SAY_PRODUCTION = /prod|prd|live/i;

/** Does a name suggest production (`prod`, `production`, `prd`, `live` as a whole word; `preprod` does not)? */
export function suggestsProduction(text: string): boolean {
  if (!MAY_SAY_PRODUCTION.test(text)) return false;
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) if (PRODUCTION_WORDS.has(ws[i])) return true;
  return false;
}

/**
 * Only ASCII letters and digits upper-case to ASCII letters one for one (some other characters
 * upper-case to ASCII letters: `ı` → I, `ﬀ` → FF), so the quick pre-checks apply to ASCII text only.
 */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}
