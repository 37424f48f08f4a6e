/**
 * Name heuristics shared by rules: what looks like a secret, an AWS credential, or production.
 */

/** Environment-variable names that hold AWS credentials. */
const AWS_CREDENTIAL_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']);

/** Every credential name holds KEY or TOKEN: ASCII names without either are answered without upper-casing them. */
const MAY_NAME_CREDENTIAL = /key|token/i;

/*
 * The regular expressions here are module constants, not literals inside the functions: a literal
 * makes a new RegExp object every time it is evaluated, and these run once per variable or name.
 */
const CREDENTIAL_SUFFIX = /(^|_)(SECRET_ACCESS_KEY|ACCESS_KEY_ID)$/;

export function isAwsCredentialName(name: string): boolean {
  if (isAscii(name) && !MAY_NAME_CREDENTIAL.test(name)) return false;
  const n = name.trim().toUpperCase();
  return AWS_CREDENTIAL_NAMES.has(n) || CREDENTIAL_SUFFIX.test(n);
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
  return BASE64_40.test(v) && UPPER.test(v) && LOWER.test(v) && DIGIT.test(v) && !HEX_40.test(v);
}
const BASE64_40 = /^[A-Za-z0-9/+]{40}$/;
const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;
const DIGIT = /\d/;
const HEX_40 = /^[0-9a-fA-F]{40}$/;

const SECRET_WORD = /(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?SECRET)/;
/** Names that point at a secret rather than hold one (`DB_PASSWORD_ARN`, `TOKEN_PARAMETER_NAME`). */
const POINTER_SUFFIX = /_(ARN|NAME|ID|PATH|PARAM|PARAMETER|PARAMETER_NAME|SECRET_ID|URL|URI|FILE|REF|KEY_ID|TTL|EXPIRY|LENGTH)$/;

/** Every SECRET_WORD holds one of these (its `_?` joins only before KEY): ASCII names without any cannot match. */
const MAY_NAME_SECRET = /passw|pwd|secret|token|key|credential/i;

const NOT_ALNUM = /[^A-Z0-9]+/g;

/** Does an environment-variable (or parameter) name suggest that its value is a secret? */
export function isSecretName(name: string): boolean {
  if (isAscii(name) && !MAY_NAME_SECRET.test(name)) return false;
  const n = name.trim().toUpperCase().replace(NOT_ALNUM, '_');
  if (!SECRET_WORD.test(n)) return false;
  return !POINTER_SUFFIX.test(n);
}

/** Does free text (an SSM parameter name or description) suggest that it holds a secret? */
export function mentionsSecret(text: string): boolean {
  return SECRET_MENTION.test(text);
}
const SECRET_MENTION = /(password|passwd|secret|token|api[-_ ]?key|private[-_ ]?key|credential|client[-_ ]?secret)/i;

/** The words of an identifier or phrase: `ProdDeploy-eu_west` → prod, deploy, eu, west. */
export function words(text: string): string[] {
  return text
    .replace(NOT_PROD, joinNotProd)
    .replace(CAMEL_HUMP, '$1 $2')
    .toLowerCase()
    .split(NOT_WORD)
    .filter(nonEmpty);
}
const NOT_PROD = /(pre|non)[-_ ]?(prod(uction)?)/gi;
const SEPARATOR = /[-_ ]/g;
const CAMEL_HUMP = /([a-z0-9])([A-Z])/g;
const NOT_WORD = /[^a-z0-9]+/;
const joinNotProd = (m: string): string => m.replace(SEPARATOR, '').toLowerCase();
const nonEmpty = (w: string): boolean => w.length > 0;

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
