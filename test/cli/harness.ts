/** Runs the CLI in-process, as `gantry <args>` in `cwd`, capturing what it prints and its exit code. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../auditor/cli/main';
import type { AuditPeers } from '../../auditor/engine/peers';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const NOW = new Date('2025-06-01T12:00:00Z');

export async function cli(args: string[], cwd: string, peers?: AuditPeers, env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, now: () => NOW }, peers ? { peers } : {});
  return { code, stdout, stderr };
}

export function tmpdir(prefix = 'gantry-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(dir: string, name: string, content: string | object): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

/** A one-line user error: `gantry: …`, exactly one line, no stack frames. */
export function expectOneLineError(r: CliResult, re?: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^gantry: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (re) expect(r.stderr).toMatch(re);
}

/** A config with planted problems: an unencrypted, unblocked bucket and an admin role. */
export function plantedConfig(): object {
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: {
      aws_s3_bucket: { artifacts: { bucket: 'gantry-test-artifacts' } },
      aws_iam_role: {
        build: {
          name: 'build',
          assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        },
      },
      aws_iam_role_policy: {
        admin: {
          role: '${aws_iam_role.build.name}',
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
        },
      },
    },
  };
}

/** The same config with the bucket encrypted by a customer key and the admin policy narrowed. */
export function fixedConfig(): object {
  const c = plantedConfig() as { resource: Record<string, Record<string, unknown>> };
  c.resource.aws_kms_key = { k: { description: 'artifacts', enable_key_rotation: true, deletion_window_in_days: 30 } };
  c.resource.aws_s3_bucket_server_side_encryption_configuration = {
    artifacts: { bucket: '${aws_s3_bucket.artifacts.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.k.arn}' }, bucket_key_enabled: true }] },
  };
  c.resource.aws_iam_role_policy = {
    admin: {
      role: '${aws_iam_role.build.name}',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::gantry-test-artifacts/*' }] }),
    },
  };
  return c;
}
