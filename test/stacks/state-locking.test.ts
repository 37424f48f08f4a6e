/**
 * State locking, for real: an application stack's S3 backend pointed at loopback stand-ins for
 * S3 (s3rver) and DynamoDB (dynalite). While one `terraform apply` holds the state lock (waiting
 * for approval), a second `terraform plan` is refused with the state-lock error; once released,
 * it succeeds. The synthesized backend settings (bucket, key, table, encrypt, kms_key_id alias)
 * are kept; only the endpoints and credentials point at the stand-ins.
 * (S3-native `use_lockfile` is not proven here: s3rver lacks conditional writes — see
 * ENVIRONMENT.md — so the DynamoDB lock carries the test.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import example from '../../gantry.config';
import { synthesize } from '../../stacks/app';
import { validateConfig } from '../../stacks/config/validate';
import { OFFLINE_PROVIDER, terraformReady, tfAsync, tfEnv, tfOkAsync } from '../support/terraform';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (o: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (o: object) => import('node:http').Server;

const ready = terraformReady('stacks: state locking against s3rver + dynalite');
const suite = ready ? describe : describe.skip;
const config = validateConfig(example);
const STACK = `${config.prefix}-${config.applications[config.applications.length - 1].name}`;

/** A DynamoDB JSON-protocol call; dynalite checks the Authorization header's shape, not its signature. */
async function dynamo(endpoint: string, target: string, body: object): Promise<any> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${target}`,
      'X-Amz-Date': amzDate,
      Authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${amzDate.slice(0, 8)}/${config.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${target}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), ms);
    const onData = (b: Buffer) => {
      seen += b.toString('utf8');
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!pattern.test(seen)) reject(new Error(`terraform exited (${code}) before ${pattern}:\n${seen}`));
    });
  });
}

suite('state locking', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-lock-'));
  let s3: { close(): Promise<void> } | undefined;
  let ddb: import('node:http').Server | undefined;
  let holder: ChildProcessWithoutNullStreams | undefined;

  afterAll(async () => {
    if (holder && holder.exitCode === null) holder.kill('SIGKILL');
    await s3?.close();
    await new Promise<void>((r) => (ddb ? ddb.close(() => r()) : r()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a second plan is refused with the state-lock error while the first holds the lock', async () => {
    // 1. The stand-ins, on free loopback ports, with the bucket and the lock table the config names.
    const s3Server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(tmp, 's3'), configureBuckets: [{ name: config.state.bucket }] });
    s3 = s3Server;
    const s3Addr = await s3Server.run();
    ddb = dynalite({ createTableMs: 0 });
    await new Promise<void>((r) => ddb!.listen(0, '127.0.0.1', () => r()));
    const s3Endpoint = `http://127.0.0.1:${s3Addr.port}`;
    const ddbEndpoint = `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`;
    await dynamo(ddbEndpoint, 'CreateTable', {
      TableName: config.state.lockTable,
      AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect((await dynamo(ddbEndpoint, 'DescribeTable', { TableName: config.state.lockTable })).Table.TableStatus).toBe('ACTIVE');

    // 2. The stack as synthesized, its backend kept but its endpoints pointed at the stand-ins.
    const out = path.join(tmp, 'out');
    synthesize(config, out);
    const dir = path.join(tmp, 'stack');
    fs.cpSync(path.join(out, 'stacks', STACK), dir, { recursive: true });
    const synthesized = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    const backend = synthesized.terraform.backend.s3 as Record<string, unknown>;
    expect(backend).toMatchObject({ bucket: config.state.bucket, dynamodb_table: config.state.lockTable, encrypt: true });
    const { use_lockfile: _s3NativeLockNeedsConditionalWrites, ...kept } = backend;
    const override = {
      terraform: {
        backend: {
          s3: {
            ...kept,
            endpoints: { s3: s3Endpoint, dynamodb: ddbEndpoint },
            use_path_style: true,
            access_key: 'S3RVER',
            secret_key: 'S3RVER',
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
            skip_s3_checksum: true,
          },
        },
      },
      provider: { aws: [OFFLINE_PROVIDER] },
    };
    fs.writeFileSync(path.join(dir, 'gantry_lock_override.tf.json'), JSON.stringify(override, null, 2));
    await tfOkAsync(dir, ['init', '-input=false', '-no-color']);

    // 3. First process: `terraform apply` takes the state lock, plans, and keeps the lock while it
    //    waits for the approval it will never get.
    holder = spawn('terraform', ['apply', '-no-color', '-refresh=false'], { cwd: dir, env: tfEnv() });
    await waitFor(holder, /Enter a value:/, 240_000);

    // 4. Second process: refused at once.
    const second = await tfAsync(dir, ['plan', '-input=false', '-no-color', '-refresh=false', '-lock-timeout=0s']);
    expect(second.status).not.toBe(0);
    expect(second.stderr + second.stdout).toMatch(/Error acquiring the state lock/);
    expect(second.stderr + second.stdout).toMatch(/ConditionalCheckFailedException|Lock Info/);

    // 5. Released: decline the apply, and the same plan now runs.
    const declined = waitFor(holder, /Apply cancelled/, 60_000);
    holder.stdin.end('no\n');
    await declined;
    await new Promise((r) => (holder!.exitCode !== null ? r(null) : holder!.on('close', r)));
    const third = await tfAsync(dir, ['plan', '-input=false', '-no-color', '-refresh=false', '-lock-timeout=0s']);
    expect(third.stderr).toBe('');
    expect(third.status).toBe(0);
    expect(third.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
  }, 420_000);
});
