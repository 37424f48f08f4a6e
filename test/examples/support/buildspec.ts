/**
 * A validator for CodeBuild buildspec files (version 0.2), written from the CodeBuild user guide's
 * "Build specification reference" (docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html):
 * the allowed top-level sections, env sub-keys, phase names and phase keys, report groups and
 * their file formats, artifacts and cache. It reports every problem it finds, each as
 * "<file>: <path>: <problem>".
 */
import { Json, isMap, isStringList, isYesNo, parseYaml, unknownKeys } from './yaml-doc';

export const TOP_LEVEL_KEYS = ['version', 'run-as', 'env', 'proxy', 'batch', 'phases', 'reports', 'artifacts', 'cache'] as const;
export const ENV_KEYS = ['shell', 'variables', 'parameter-store', 'secrets-manager', 'exported-variables', 'git-credential-helper'] as const;
export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export const PHASE_KEYS = ['run-as', 'on-failure', 'runtime-versions', 'commands', 'finally'] as const;
/** Test report formats, then code coverage report formats. */
export const REPORT_FORMATS = ['JUNITXML', 'CUCUMBERJSON', 'NUNITXML', 'NUNIT3XML', 'TESTNGXML', 'VISUALSTUDIOTRX', 'CLOVERXML', 'COBERTURAXML', 'JACOCOXML', 'SIMPLECOV'] as const;
export const REPORT_KEYS = ['files', 'base-directory', 'discard-paths', 'file-format'] as const;
export const ARTIFACT_KEYS = ['files', 'name', 'discard-paths', 'base-directory', 'exclude-paths', 'enable-symlinks', 's3-prefix', 'secondary-artifacts'] as const;
export const CACHE_KEYS = ['paths', 'key', 'fallback-keys', 'action'] as const;
export const SHELLS = ['bash', '/bin/sh', 'sh', 'powershell.exe', 'cmd.exe', 'pwsh'] as const;
export const BATCH_KEYS = ['fast-fail', 'build-list', 'build-matrix', 'build-graph', 'build-fanout'] as const;

export interface SecretRef {
  kind: 'parameter-store' | 'secrets-manager';
  variable: string;
  /** parameter name, or the secret id (name or ARN) without json-key / version parts */
  path: string;
}

export interface Command {
  phase: string;
  block: 'commands' | 'finally';
  command: string;
}

export interface BuildspecCheck {
  spec: Json;
  problems: string[];
}

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a secrets-manager reference `secret-id:json-key:version-stage:version-id`; the id may be an ARN (which has colons of its own). */
export function splitSecretRef(ref: string): { id: string; rest: string[] } {
  const parts = ref.split(':');
  if (ref.startsWith('arn:')) {
    // arn:partition:secretsmanager:region:account:secret:name
    return { id: parts.slice(0, 7).join(':'), rest: parts.slice(7) };
  }
  return { id: parts[0], rest: parts.slice(1) };
}

export function validateBuildspec(text: string, file: string): BuildspecCheck {
  const problems: string[] = [];
  const p = (where: string, msg: string) => problems.push(`${file}: ${where}: ${msg}`);
  const parsed = parseYaml(text);
  for (const e of parsed.errors) p('yaml', e);
  const spec = parsed.value;
  if (!isMap(spec)) {
    p('(root)', 'a buildspec must be a YAML mapping');
    return { spec, problems };
  }

  for (const k of unknownKeys(spec, TOP_LEVEL_KEYS)) p(k, `unknown top-level key (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
  if (spec.version === undefined) p('version', 'required');
  else if (!(spec.version === 0.2 || spec.version === '0.2')) p('version', `must be 0.2 (got ${JSON.stringify(spec.version)})`);
  if (spec['run-as'] !== undefined && typeof spec['run-as'] !== 'string') p('run-as', 'must be a Linux user name');

  checkEnv(spec.env, p);

  if (spec.proxy !== undefined) {
    if (!isMap(spec.proxy)) p('proxy', 'must be a mapping');
    else {
      for (const k of unknownKeys(spec.proxy, ['upload-artifacts', 'logs'])) p(`proxy.${k}`, 'unknown key (allowed: upload-artifacts, logs)');
      for (const [k, v] of Object.entries(spec.proxy)) if (!isYesNo(v)) p(`proxy.${k}`, 'must be yes or no');
    }
  }
  if (spec.batch !== undefined) {
    if (!isMap(spec.batch)) p('batch', 'must be a mapping');
    else for (const k of unknownKeys(spec.batch, BATCH_KEYS)) p(`batch.${k}`, `unknown key (allowed: ${BATCH_KEYS.join(', ')})`);
  }

  if (spec.phases === undefined) p('phases', 'required');
  else if (!isMap(spec.phases)) p('phases', 'must be a mapping of phase name to phase');
  else {
    if (Object.keys(spec.phases).length === 0) p('phases', 'must declare at least one phase');
    for (const [name, phase] of Object.entries(spec.phases)) checkPhase(name, phase, p);
  }

  if (spec.reports !== undefined) {
    if (!isMap(spec.reports)) p('reports', 'must be a mapping of report group name (or ARN) to report');
    else for (const [group, report] of Object.entries(spec.reports)) checkReport(group, report, p);
  }

  if (spec.artifacts !== undefined) checkArtifacts('artifacts', spec.artifacts, true, p);

  if (spec.cache !== undefined) {
    if (!isMap(spec.cache)) p('cache', 'must be a mapping');
    else {
      for (const k of unknownKeys(spec.cache, CACHE_KEYS)) p(`cache.${k}`, `unknown key (allowed: ${CACHE_KEYS.join(', ')})`);
      if (spec.cache.paths !== undefined && !isStringList(spec.cache.paths)) p('cache.paths', 'must be a list of path patterns');
      if (spec.cache.key !== undefined && typeof spec.cache.key !== 'string') p('cache.key', 'must be a string');
      if (spec.cache['fallback-keys'] !== undefined && !isStringList(spec.cache['fallback-keys'])) p('cache.fallback-keys', 'must be a list of strings');
      if (spec.cache.action !== undefined && !['restore', 'save'].includes(String(spec.cache.action))) p('cache.action', 'must be restore or save');
    }
  }
  return { spec, problems };
}

function checkEnv(env: Json | undefined, p: (where: string, msg: string) => void): void {
  if (env === undefined) return;
  if (!isMap(env)) return p('env', 'must be a mapping');
  for (const k of unknownKeys(env, ENV_KEYS)) p(`env.${k}`, `unknown key (allowed: ${ENV_KEYS.join(', ')})`);
  if (env.shell !== undefined && !SHELLS.includes(String(env.shell) as (typeof SHELLS)[number])) p('env.shell', `must be one of ${SHELLS.join(', ')}`);
  for (const section of ['variables', 'parameter-store', 'secrets-manager'] as const) {
    const m = env[section];
    if (m === undefined) continue;
    if (!isMap(m)) {
      p(`env.${section}`, 'must be a mapping of variable name to value');
      continue;
    }
    for (const [name, value] of Object.entries(m)) {
      if (!ENV_VAR.test(name)) p(`env.${section}.${name}`, 'not a valid environment variable name');
      if (typeof value !== 'string' && !(section === 'variables' && (typeof value === 'number' || typeof value === 'boolean'))) {
        p(`env.${section}.${name}`, 'must be a string');
        continue;
      }
      if (section === 'parameter-store' && !String(value).startsWith('/') && !String(value).startsWith('arn:')) {
        p(`env.${section}.${name}`, `parameter name "${value}" should be a hierarchical path starting with "/"`);
      }
      if (section === 'secrets-manager') {
        const { id, rest } = splitSecretRef(String(value));
        if (!id) p(`env.${section}.${name}`, 'missing secret id');
        if (rest.length > 3) p(`env.${section}.${name}`, 'expected secret-id[:json-key[:version-stage[:version-id]]]');
      }
    }
  }
  const exported = env['exported-variables'];
  if (exported !== undefined) {
    if (!isStringList(exported)) p('env.exported-variables', 'must be a list of variable names');
    else for (const v of exported) if (!ENV_VAR.test(v)) p(`env.exported-variables`, `"${v}" is not a valid variable name`);
  }
  if (env['git-credential-helper'] !== undefined && !isYesNo(env['git-credential-helper'])) p('env.git-credential-helper', 'must be yes or no');
}

function checkPhase(name: string, phase: Json, p: (where: string, msg: string) => void): void {
  const where = `phases.${name}`;
  if (!PHASES.includes(name as (typeof PHASES)[number])) p(where, `unknown phase (allowed: ${PHASES.join(', ')})`);
  if (!isMap(phase)) return p(where, 'must be a mapping');
  for (const k of unknownKeys(phase, PHASE_KEYS)) p(`${where}.${k}`, `unknown key (allowed: ${PHASE_KEYS.join(', ')})`);
  if (phase['runtime-versions'] !== undefined) {
    if (name !== 'install') p(`${where}.runtime-versions`, 'runtime-versions is only allowed in the install phase');
    if (!isMap(phase['runtime-versions'])) p(`${where}.runtime-versions`, 'must be a mapping of runtime to version');
  }
  if (phase['on-failure'] !== undefined && !/^(ABORT|CONTINUE|RETRY(-\d+)?(-.+)?)$/.test(String(phase['on-failure']))) {
    p(`${where}.on-failure`, 'must be ABORT, CONTINUE or a RETRY form');
  }
  if (phase['run-as'] !== undefined && typeof phase['run-as'] !== 'string') p(`${where}.run-as`, 'must be a Linux user name');
  if (phase.commands === undefined && phase['runtime-versions'] === undefined) p(where, 'has neither commands nor runtime-versions');
  for (const block of ['commands', 'finally'] as const) {
    const list = phase[block];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      p(`${where}.${block}`, 'must be a non-empty list of commands');
      continue;
    }
    list.forEach((c, i) => {
      // The classic mistake: an unquoted command containing ": " becomes a YAML mapping.
      if (typeof c !== 'string') p(`${where}.${block}[${i}]`, `must be a string (got ${JSON.stringify(c)}); quote commands that contain ": "`);
    });
  }
}

function checkReport(group: string, report: Json, p: (where: string, msg: string) => void): void {
  const where = `reports.${group}`;
  if (!isMap(report)) return p(where, 'must be a mapping');
  for (const k of unknownKeys(report, REPORT_KEYS)) p(`${where}.${k}`, `unknown key (allowed: ${REPORT_KEYS.join(', ')})`);
  if (!isStringList(report.files) || report.files.length === 0) p(`${where}.files`, 'required: a non-empty list of report file locations');
  if (report['base-directory'] !== undefined && typeof report['base-directory'] !== 'string') p(`${where}.base-directory`, 'must be a string');
  if (report['discard-paths'] !== undefined && !isYesNo(report['discard-paths'])) p(`${where}.discard-paths`, 'must be yes or no');
  // CodeBuild defaults to JUNITXML when file-format is absent.
  if (report['file-format'] !== undefined && !REPORT_FORMATS.includes(String(report['file-format']) as (typeof REPORT_FORMATS)[number])) {
    p(`${where}.file-format`, `must be one of ${REPORT_FORMATS.join(', ')} (got ${JSON.stringify(report['file-format'])})`);
  }
}

function checkArtifacts(where: string, a: Json, primary: boolean, p: (where: string, msg: string) => void): void {
  if (!isMap(a)) return p(where, 'must be a mapping');
  const allowed = primary ? ARTIFACT_KEYS : ARTIFACT_KEYS.filter((k) => k !== 'secondary-artifacts');
  for (const k of unknownKeys(a, allowed)) p(`${where}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
  const hasSecondary = primary && a['secondary-artifacts'] !== undefined;
  if (!hasSecondary || a.files !== undefined) {
    if (!isStringList(a.files) || a.files.length === 0) p(`${where}.files`, 'required: a non-empty list of file patterns');
  }
  for (const k of ['name', 'base-directory', 's3-prefix'] as const) if (a[k] !== undefined && typeof a[k] !== 'string') p(`${where}.${k}`, 'must be a string');
  for (const k of ['discard-paths', 'enable-symlinks'] as const) if (a[k] !== undefined && !isYesNo(a[k])) p(`${where}.${k}`, 'must be yes or no');
  if (a['exclude-paths'] !== undefined && !isStringList(a['exclude-paths'])) p(`${where}.exclude-paths`, 'must be a list of patterns');
  if (hasSecondary) {
    const sec = a['secondary-artifacts'];
    if (!isMap(sec)) p(`${where}.secondary-artifacts`, 'must be a mapping of artifact identifier to artifact');
    else for (const [id, s] of Object.entries(sec)) checkArtifacts(`${where}.secondary-artifacts.${id}`, s, false, p);
  }
}

/** Every command of every phase, in order. */
export function buildspecCommands(spec: Json): Command[] {
  const out: Command[] = [];
  if (!isMap(spec) || !isMap(spec.phases)) return out;
  for (const name of PHASES) {
    const phase = spec.phases[name];
    if (!isMap(phase)) continue;
    for (const block of ['commands', 'finally'] as const) {
      const list = phase[block];
      if (Array.isArray(list)) for (const c of list) if (typeof c === 'string') out.push({ phase: name, block, command: c });
    }
  }
  return out;
}

/** Every Parameter Store and Secrets Manager reference in env. */
export function buildspecSecretRefs(spec: Json): SecretRef[] {
  const out: SecretRef[] = [];
  if (!isMap(spec) || !isMap(spec.env)) return out;
  const ps = spec.env['parameter-store'];
  if (isMap(ps)) for (const [variable, v] of Object.entries(ps)) out.push({ kind: 'parameter-store', variable, path: String(v) });
  const sm = spec.env['secrets-manager'];
  if (isMap(sm)) for (const [variable, v] of Object.entries(sm)) out.push({ kind: 'secrets-manager', variable, path: splitSecretRef(String(v)).id });
  return out;
}

/**
 * Whether a parameter name or secret id lies under `/<app>/<env>/` for one of the given
 * environments. A secret ARN is judged by its name; the random 6-character suffix Secrets
 * Manager appends is not part of the name.
 */
export function scopedTo(path: string, app: string, envs: readonly string[]): string | null {
  let name = path;
  if (name.startsWith('arn:')) {
    const parts = name.split(':');
    name = parts[2] === 'ssm' ? parts.slice(5).join(':').replace(/^parameter/, '') : parts.slice(6).join(':');
  }
  for (const env of envs) {
    const prefix = `/${app}/${env}/`;
    if (name.startsWith(prefix) && name.length > prefix.length && !name.includes('..') && !name.includes('*')) return env;
  }
  return null;
}
