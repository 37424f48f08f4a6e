/**
 * Loader speed: linear in resources, and measured against JSON.parse of the same file.
 * Prints the figures; asserts only generous bounds (the machine is shared).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInputs } from '../../auditor/load';

/** A pipeline-shaped config: 8 resources per group, all cross-referenced. */
function generate(groups: number): object {
  const r: Record<string, Record<string, unknown>> = {
    aws_s3_bucket: {}, aws_s3_bucket_server_side_encryption_configuration: {}, aws_s3_bucket_public_access_block: {}, aws_s3_bucket_policy: {},
    aws_kms_key: {}, aws_iam_role: {}, aws_iam_role_policy: {}, aws_iam_role_policy_attachment: {},
  };
  const d: Record<string, Record<string, unknown>> = { aws_iam_policy_document: {} };
  for (let i = 0; i < groups; i++) {
    r.aws_kms_key[`k${i}`] = { enable_key_rotation: true, '//': { metadata: { path: `s/k${i}`, uniqueId: `k${i}` } } };
    r.aws_s3_bucket[`b${i}`] = { bucket: `bucket-${i}`, tags: { app: `a${i}` }, '//': { metadata: { path: `s/b${i}`, uniqueId: `b${i}` } } };
    r.aws_s3_bucket_server_side_encryption_configuration[`e${i}`] = { bucket: `\${aws_s3_bucket.b${i}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.k${i}.arn}` }, bucket_key_enabled: true }] };
    r.aws_s3_bucket_public_access_block[`p${i}`] = { bucket: `\${aws_s3_bucket.b${i}.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    r.aws_s3_bucket_policy[`bp${i}`] = { bucket: `\${aws_s3_bucket.b${i}.id}`, policy: `\${data.aws_iam_policy_document.tls${i}.json}` };
    d.aws_iam_policy_document[`tls${i}`] = { statement: [{ effect: 'Deny', actions: ['s3:*'], resources: [`\${aws_s3_bucket.b${i}.arn}`, `\${aws_s3_bucket.b${i}.arn}/*`], principals: [{ type: 'AWS', identifiers: ['*'] }], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }] };
    r.aws_iam_role[`r${i}`] = { name: `role-${i}`, assume_role_policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"Service" = "codebuild.amazonaws.com"}, "Action" = "sts:AssumeRole"}]})}' };
    r.aws_iam_role_policy[`rp${i}`] = { role: `\${aws_iam_role.r${i}.name}`, policy: `\${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["s3:GetObject", "s3:PutObject"], "Resource" = ["\${aws_s3_bucket.b${i}.arn}/*"]}, {"Effect" = "Allow", "Action" = ["kms:Decrypt"], "Resource" = [aws_kms_key.k${i}.arn]}]})}` };
    r.aws_iam_role_policy_attachment[`a${i}`] = { role: `\${aws_iam_role.r${i}.name}`, policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
  }
  return { provider: { aws: [{ region: 'eu-west-1' }] }, resource: r, data: d };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(f: () => unknown, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    f();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(out);
}

describe('loader performance', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-perf-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads ~24,000 resources within a small multiple of JSON.parse, and grows linearly', () => {
    const rows: string[] = [];
    const perResource: number[] = [];
    for (const groups of [750, 3000, 6000]) {
      const file = path.join(dir, `g${groups}.tf.json`);
      fs.writeFileSync(file, JSON.stringify(generate(groups)));
      const text = fs.readFileSync(file, 'utf8');
      const m = loadInputs([file]);
      const n = m.resources.length;
      expect(n).toBe(groups * 9);
      const runs = groups >= 6000 ? 3 : 5;
      const parse = time(() => JSON.parse(fs.readFileSync(file, 'utf8')), runs);
      const load = time(() => loadInputs([file]), runs);
      const iam = time(() => {
        const mm = loadInputs([file]);
        mm.principals();
        mm.resourcePolicies();
      }, runs);
      perResource.push(load / n);
      rows.push(`${n} resources, ${(text.length / 1048576).toFixed(1)} MiB: JSON.parse ${parse.toFixed(0)} ms · load ${load.toFixed(0)} ms (${(load / parse).toFixed(2)}×) · load + IAM views ${iam.toFixed(0)} ms (${(iam / parse).toFixed(2)}×)`);
      // Sanity on what was built, so the timing is of real work.
      expect(m.principals()).toHaveLength(groups);
      expect(m.principals()[0].policies.map((p) => p.kind)).toEqual(['identity-inline', 'aws-managed']);
      expect(m.resourcePolicies()).toHaveLength(groups);
      expect(m.referencing(m.get(m.stacks[0].name, 'aws_s3_bucket.b0')!)).toHaveLength(5);
    }
    // eslint-disable-next-line no-console
    console.log(`loader speed (median, ${os.cpus().length} cores, load avg ${os.loadavg()[0].toFixed(1)}):\n  ${rows.join('\n  ')}`);
    // Linear: the time per resource at 54k must not be far above that at 6.75k (O(n²) would be 8×).
    expect(perResource[2] / perResource[0]).toBeLessThan(3);
  }, 600000);
});
