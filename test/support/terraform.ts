/**
 * Terraform harness for tests: discovers the provider mirror, writes a CLI config into a temp
 * dir, and runs init / validate / plan / show offline against the real hashicorp/aws provider.
 *
 * On CI (`CI=true`) a missing terraform is a failure; on a laptop the suites skip with a notice.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/local/share/terraform/plugins', '/usr/share/terraform/plugins', path.join(os.homedir(), '.terraform.d', 'plugins')];

let cachedMirror: string | null | undefined;

/** The folder that contains `registry.terraform.io/hashicorp/aws`: $GANTRY_TF_MIRROR, then well-known places, then a bounded search. */
export function findMirror(): string | null {
  if (cachedMirror !== undefined) return cachedMirror;
  const hasAws = (root: string) => fs.existsSync(path.join(root, 'registry.terraform.io', 'hashicorp', 'aws'));
  const fromEnv = process.env.GANTRY_TF_MIRROR;
  if (fromEnv && hasAws(fromEnv)) return (cachedMirror = fromEnv);
  for (const c of MIRROR_CANDIDATES) if (hasAws(c)) return (cachedMirror = c);
  const r = spawnSync('find', ['/opt', '/usr', '/root', '/home', '-maxdepth', '6', '-type', 'd', '-name', 'registry.terraform.io'], { encoding: 'utf8', timeout: 20000 });
  for (const line of (r.stdout || '').split('\n')) {
    const root = path.dirname(line.trim());
    if (line.trim() && hasAws(root)) return (cachedMirror = root);
  }
  return (cachedMirror = null);
}

export function terraformOnPath(): boolean {
  return spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Whether Terraform-backed suites can run. Throws on CI when they cannot (they must run there);
 * elsewhere prints a visible notice and returns false so the caller can `describe.skip`.
 */
export function terraformReady(suite: string): boolean {
  const ok = terraformOnPath() && findMirror() !== null;
  if (ok) return true;
  const why = terraformOnPath() ? 'no hashicorp/aws provider mirror found (set GANTRY_TF_MIRROR)' : 'terraform is not on PATH';
  if (process.env.CI === 'true') throw new Error(`${suite}: ${why}; Terraform-backed tests must run on CI`);
  // eslint-disable-next-line no-console
  console.warn(`NOTICE: skipping Terraform-backed suite "${suite}": ${why}`);
  return false;
}

let cliConfig: string | undefined;
function cliConfigFile(): string {
  if (cliConfig) return cliConfig;
  const mirror = findMirror();
  if (!mirror) throw new Error('no terraform provider mirror');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-tfcli-'));
  cliConfig = path.join(dir, 'terraform.rc');
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return cliConfig;
}

export function tfEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: cliConfigFile(), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...extra };
}

export interface TfResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function tf(dir: string, args: string[], extraEnv: Record<string, string> = {}): TfResult {
  const r = spawnSync('terraform', [...args], { cwd: dir, env: tfEnv(extraEnv), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function tfOk(dir: string, args: string[], extraEnv: Record<string, string> = {}): string {
  const r = tf(dir, args, extraEnv);
  if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Provider settings that let `plan` run with no AWS reachable. */
export const OFFLINE_PROVIDER = {
  access_key: 'AKIAIOSFODNN7EXAMPLE',
  secret_key: 'offline-test-secret',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  // The account can't be learned offline (skip_requesting_account_id), so an account pin would refuse every plan.
  allowed_account_ids: null,
};

/**
 * Copy a synthesized stack (its cdk.tf.json and any assets) into a temp dir, override its
 * backend with a local one and its providers with offline settings.
 */
export function offlineWorkdir(stackDir: string, name = 'stack'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gantry-tf-${name}-`));
  fs.cpSync(stackDir, dir, { recursive: true });
  const tfJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as { provider?: { aws?: { alias?: string }[] } };
  const providers = (tfJson.provider?.aws ?? [{}]).map((p) => ({ ...(p.alias ? { alias: p.alias } : {}), ...OFFLINE_PROVIDER }));
  const override = {
    terraform: { backend: { local: { path: path.join(dir, 'terraform.tfstate') } } },
    provider: { aws: providers },
  };
  fs.writeFileSync(path.join(dir, 'gantry_offline_override.tf.json'), JSON.stringify(override, null, 2));
  return dir;
}

/** init + validate + plan + show -json; returns the plan JSON. */
export function validateAndPlan(dir: string): { validate: unknown; plan: any } {
  tfOk(dir, ['init', '-input=false', '-no-color']);
  const validate = JSON.parse(tfOk(dir, ['validate', '-json', '-no-color']));
  tfOk(dir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out', 'plan.bin']);
  const plan = JSON.parse(execFileSync('terraform', ['show', '-json', 'plan.bin'], { cwd: dir, env: tfEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  return { validate, plan };
}

/** Like `tf`, without blocking the event loop (lets several stacks run side by side). */
export function tfAsync(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<TfResult> {
  return new Promise((resolve) => {
    const child = spawn('terraform', args, { cwd: dir, env: tfEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

export async function tfOkAsync(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const r = await tfAsync(dir, args, extraEnv);
  if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** init (once) + validate + plan + show -json, asynchronously; returns validate's and show's JSON. */
export async function validateAndPlanAsync(dir: string): Promise<{ validate: any; plan: any }> {
  if (!fs.existsSync(path.join(dir, '.terraform'))) await tfOkAsync(dir, ['init', '-input=false', '-no-color']);
  const validate = JSON.parse(await tfOkAsync(dir, ['validate', '-json', '-no-color']));
  await tfOkAsync(dir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out', 'plan.bin']);
  const plan = JSON.parse(await tfOkAsync(dir, ['show', '-json', 'plan.bin']));
  return { validate, plan };
}

/** Run `tasks` with at most `limit` at a time (the machines have 2 cores). */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
