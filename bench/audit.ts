/**
 * Audit benchmark: generates Terraform JSON configs of 1k → 100k resources (a realistic mix of
 * what delivery pipelines declare: KMS keys, encrypted and blocked buckets with TLS-only policies,
 * roles with trust and inline policies, CodeBuild projects, pipelines, repositories, deployment
 * groups, log groups, alarms, topics, tables, parameters, secrets) and times the full offline
 * audit (read + load + quotas + rules + suppressions + cost + JSON report) against reading and
 * `JSON.parse` of the same file. Each size runs in its own child process (so its peak memory is
 * its own); times are medians of several runs after one warm-up. Prints one Markdown section.
 *
 *   node dist/bench/audit.js            all sizes, the Markdown section on stdout
 *   node dist/bench/audit.js 1000 24000 only those sizes
 *   node dist/bench/audit.js --child N  one size (internal)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAudit } from '../auditor/audit';
import { defaultPeers, type AuditPeers } from '../auditor/engine/peers';
import { jsonPieces } from '../auditor/report/json';
import type { Rule } from '../policies/rule';

const SIZES = [1_000, 10_000, 24_000, 100_000];
const RUNS: Record<number, number> = { 1000: 9, 10000: 7, 24000: 9, 100000: 5 };
/**
 * Child processes per size (their runs pooled): one child's median moves with where its heap and
 * pages happen to fall (±10% at 24k between children on this VM), so the size the target is
 * judged at runs in several.
 */
const CHILDREN: Record<number, number> = { 24000: 3 };
/** Resources one generated application declares (see `unit`). */
const PER_UNIT = 24;

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** One application's delivery resources: PER_UNIT resources, some with planted problems. */
function unit(i: number, res: Record<string, Record<string, unknown>>, data: Record<string, Record<string, unknown>>): void {
  const n = `app${i}`;
  const put = (type: string, name: string, body: unknown) => ((res[type] ??= {})[name] = body);
  const bad = i % 7 === 0; // every seventh application has problems for the rules to find
  put('aws_kms_key', n, { description: `${n} artifacts`, enable_key_rotation: !bad, deletion_window_in_days: 30 });
  put('aws_kms_alias', n, { name: `alias/${n}`, target_key_id: `\${aws_kms_key.${n}.key_id}` });
  put('aws_s3_bucket', `${n}_artifacts`, { bucket: `gantry-${n}-artifacts`, force_destroy: false });
  put('aws_s3_bucket_server_side_encryption_configuration', `${n}_artifacts`, {
    bucket: `\${aws_s3_bucket.${n}_artifacts.id}`,
    rule: [{ apply_server_side_encryption_by_default: bad ? { sse_algorithm: 'AES256' } : { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.${n}.arn}` }, bucket_key_enabled: true }],
  });
  put('aws_s3_bucket_public_access_block', `${n}_artifacts`, { bucket: `\${aws_s3_bucket.${n}_artifacts.id}`, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: !bad });
  put('aws_s3_bucket_versioning', `${n}_artifacts`, { bucket: `\${aws_s3_bucket.${n}_artifacts.id}`, versioning_configuration: [{ status: 'Enabled' }] });
  put('aws_s3_bucket_policy', `${n}_artifacts`, {
    bucket: `\${aws_s3_bucket.${n}_artifacts.id}`,
    policy: `\${data.aws_iam_policy_document.${n}_tls.json}`,
  });
  (data.aws_iam_policy_document ??= {})[`${n}_tls`] = {
    statement: [{ sid: 'DenyInsecureTransport', effect: 'Deny', actions: ['s3:*'], resources: [`\${aws_s3_bucket.${n}_artifacts.arn}`, `\${aws_s3_bucket.${n}_artifacts.arn}/*`], principals: [{ type: '*', identifiers: ['*'] }], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }],
  };
  const trust = (service: string) => doc([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }]);
  put('aws_iam_role', `${n}_build`, { name: `${n}-build`, assume_role_policy: trust('codebuild.amazonaws.com') });
  put('aws_iam_role_policy', `${n}_build`, {
    role: `\${aws_iam_role.${n}_build.id}`,
    policy: doc([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `\${aws_s3_bucket.${n}_artifacts.arn}/*` },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `\${aws_cloudwatch_log_group.${n}.arn}:*` },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: `\${aws_kms_key.${n}.arn}` },
      ...(bad ? [{ Effect: 'Allow', Action: ['iam:PassRole', 'codebuild:*'], Resource: '*' }] : []),
    ]),
  });
  put('aws_iam_role', `${n}_pipeline`, { name: `${n}-pipeline`, assume_role_policy: trust('codepipeline.amazonaws.com') });
  put('aws_iam_role_policy_attachment', `${n}_pipeline`, { role: `\${aws_iam_role.${n}_pipeline.name}`, policy_arn: bad ? 'arn:aws:iam::aws:policy/AdministratorAccess' : 'arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess' });
  put('aws_cloudwatch_log_group', n, { name: `/gantry/${n}/build`, retention_in_days: bad ? 0 : 90, kms_key_id: `\${aws_kms_key.${n}.arn}` });
  put('aws_codebuild_project', n, {
    name: `${n}-build`,
    service_role: `\${aws_iam_role.${n}_build.arn}`,
    encryption_key: `\${aws_kms_key.${n}.arn}`,
    artifacts: [{ type: 'CODEPIPELINE', encryption_disabled: bad }],
    environment: [{ compute_type: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:7.0', type: 'LINUX_CONTAINER', environment_variable: [{ name: 'STAGE', value: 'prod' }] }],
    logs_config: [{ cloudwatch_logs: [{ group_name: `\${aws_cloudwatch_log_group.${n}.name}` }] }],
    source: [{ type: 'CODEPIPELINE', buildspec: 'buildspec.yml' }],
  });
  put('aws_codecommit_repository', n, { repository_name: n, kms_key_id: `\${aws_kms_key.${n}.arn}` });
  put('aws_codedeploy_app', n, { name: n, compute_platform: 'Server' });
  put('aws_codedeploy_deployment_group', n, {
    app_name: `\${aws_codedeploy_app.${n}.name}`,
    deployment_group_name: `${n}-prod`,
    service_role_arn: `\${aws_iam_role.${n}_pipeline.arn}`,
    auto_rollback_configuration: [{ enabled: !bad, events: ['DEPLOYMENT_FAILURE'] }],
    ec2_tag_set: [{ ec2_tag_filter: [{ key: 'app', type: 'KEY_AND_VALUE', value: n }] }],
  });
  put('aws_sns_topic', n, { name: `${n}-approvals`, kms_master_key_id: bad ? 'alias/aws/sns' : `\${aws_kms_key.${n}.arn}` });
  put('aws_cloudwatch_metric_alarm', n, { alarm_name: `${n}-errors`, comparison_operator: 'GreaterThanThreshold', evaluation_periods: 1, metric_name: 'Errors', namespace: 'AWS/Lambda', period: 60, statistic: 'Sum', threshold: 1, alarm_actions: [`\${aws_sns_topic.${n}.arn}`] });
  put('aws_codepipeline', n, {
    name: n,
    role_arn: `\${aws_iam_role.${n}_pipeline.arn}`,
    pipeline_type: 'V2',
    artifact_store: [{ location: `\${aws_s3_bucket.${n}_artifacts.bucket}`, type: 'S3', encryption_key: [{ id: `\${aws_kms_key.${n}.arn}`, type: 'KMS' }] }],
    stage: [
      { name: 'Source', action: [{ name: 'Source', category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1', output_artifacts: ['src'], configuration: { RepositoryName: `\${aws_codecommit_repository.${n}.repository_name}`, BranchName: 'main', PollForSourceChanges: 'false' } }] },
      { name: 'Build', action: [{ name: 'Build', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['src'], output_artifacts: ['out'], configuration: { ProjectName: `\${aws_codebuild_project.${n}.name}` } }] },
      { name: 'Approve', action: [{ name: 'Approve', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1', configuration: { NotificationArn: `\${aws_sns_topic.${n}.arn}` } }] },
      { name: 'Deploy', action: [{ name: 'Deploy', category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1', input_artifacts: ['out'], configuration: { ApplicationName: `\${aws_codedeploy_app.${n}.name}`, DeploymentGroupName: `${n}-prod` } }] },
    ],
  });
  put('aws_dynamodb_table', n, { name: `${n}-state`, billing_mode: 'PAY_PER_REQUEST', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }], point_in_time_recovery: [{ enabled: !bad }], deletion_protection_enabled: true, server_side_encryption: [{ enabled: true, kms_key_arn: `\${aws_kms_key.${n}.arn}` }] });
  put('aws_ssm_parameter', n, { name: `/gantry/${n}/token`, type: bad ? 'String' : 'SecureString', value: 'placeholder', key_id: `\${aws_kms_key.${n}.arn}` });
  put('aws_secretsmanager_secret', n, { name: `${n}/deploy`, kms_key_id: `\${aws_kms_key.${n}.arn}` });
  put('aws_cloudwatch_event_rule', n, { name: `${n}-source-changed`, event_pattern: JSON.stringify({ source: ['aws.codecommit'], 'detail-type': ['CodeCommit Repository State Change'], resources: [`arn:aws:codecommit:us-east-1:123456789012:${n}`] }) });
}

export function generate(resources: number): object {
  const res: Record<string, Record<string, unknown>> = {};
  const data: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < Math.ceil(resources / PER_UNIT); i++) unit(i, res, data);
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } }, backend: { s3: { bucket: 'gantry-state', key: 'bench.tfstate', region: 'us-east-1', encrypt: true, kms_key_id: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', dynamodb_table: 'gantry-locks' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    data,
    resource: res,
  };
}

function countResources(cfg: { resource: Record<string, object>; data: Record<string, object> }): number {
  let n = 0;
  for (const t of Object.values(cfg.resource)) n += Object.keys(t).length;
  for (const t of Object.values(cfg.data)) n += Object.keys(t).length;
  return n;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface ChildResult {
  resources: number;
  bytes: number;
  runs: number;
  /** Child processes whose runs are pooled here. */
  children: number;
  /** Every timed run (ms): JSON.parse, the audit, and their CPU times, in run order. */
  parseRuns: number[];
  auditRuns: number[];
  parseCpuRuns: number[];
  auditCpuRuns: number[];
  parseMs: number;
  /** The baseline's halves: readFileSync as UTF-8, and JSON.parse of the text already read. */
  readMs: number;
  parseOnlyMs: number;
  auditMs: number;
  /** Process CPU time (user + system, all threads) of the same runs: less sensitive to other load on a shared machine. */
  parseCpuMs: number;
  auditCpuMs: number;
  /** Lowest and highest per-run ratio (audit run i / JSON.parse run i): the noise. */
  ratioMin: number;
  ratioMax: number;
  coldAuditMs: number;
  /** 1-minute load average before and after the size ran (2 cores: above 2 means others were running). */
  loadBefore: number;
  loadAfter: number;
  findings: number;
  peakRssMiB: number;
  /** Median wall ms per phase over the timed runs (see `PHASES`). */
  phases: Record<string, number>;
  /** The slowest rules (median ms); the first IAM rule also pays for the model's IAM views. */
  topRules: [string, number][];
}

const PHASES = ['load', 'quotas', 'rules', 'cost', 'json report', 'other'] as const;

/**
 * The audit's own peers with a stopwatch around each (the same functions, nothing skipped):
 * where the time goes. `other` is the rest of runAudit (IAM catalogue lookup, suppressions,
 * sorting and de-duplicating findings, the report's summary).
 */
function timedPeers(sink: { phase: Map<string, number>; rule: Map<string, number> }): AuditPeers {
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  let rules: Rule[] | undefined;
  return {
    ...defaultPeers,
    loadInputs: (paths, opts) => {
      const t = performance.now();
      try {
        return defaultPeers.loadInputs(paths, opts);
      } finally {
        add(sink.phase, 'load', performance.now() - t);
      }
    },
    evaluateQuotas: async (model, opts) => {
      const t = performance.now();
      try {
        return await defaultPeers.evaluateQuotas(model, opts);
      } finally {
        add(sink.phase, 'quotas', performance.now() - t);
      }
    },
    estimateCost: async (model, opts) => {
      const t = performance.now();
      try {
        return await defaultPeers.estimateCost(model, opts);
      } finally {
        add(sink.phase, 'cost', performance.now() - t);
      }
    },
    rules: () =>
      (rules ??= (defaultPeers.rules() as Rule[]).map((r) => ({
        ...r,
        check: (model, ctx) => {
          const t = performance.now();
          try {
            return r.check(model, ctx);
          } finally {
            const ms = performance.now() - t;
            add(sink.phase, 'rules', ms);
            add(sink.rule, r.id, ms);
          }
        },
      }))),
  };
}

async function child(size: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
  try {
    const cfg = generate(size) as { resource: Record<string, object>; data: Record<string, object> };
    const file = path.join(dir, 'bench.tf.json');
    fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
    const resources = countResources(cfg);
    const loadBefore = os.loadavg()[0];
    // What `gantry audit FILE --offline --format json` does between parsing its flags and writing
    // stdout: suppressions discovered as the CLI would (none here), the JSON report written piece by piece.
    const sink = { phase: new Map<string, number>(), rule: new Map<string, number>(), devNull: fs.openSync(os.devNull, 'w') };
    const peers = timedPeers(sink);
    const audit = async () => {
      sink.phase.clear();
      sink.rule.clear();
      const t0 = performance.now();
      const { report, rules } = await runAudit({ inputs: [file], cwd: dir, failOn: 'high', live: false, freeTier: true, suppressions: undefined, newOnly: false, now: new Date() }, peers);
      const t1 = performance.now();
      // What the CLI does for --format json: the report's pieces, each written (here to /dev/null)
      // as it is made, so the text's encoding is timed too.
      let written = 0;
      for (const piece of jsonPieces(report)) written += fs.writeSync(sink.devNull, piece);
      const t2 = performance.now();
      if (written === 0 || rules.length === 0) throw new Error('empty report');
      sink.phase.set('json report', t2 - t1);
      let known = t2 - t1;
      for (const p of ['load', 'quotas', 'rules', 'cost']) known += sink.phase.get(p) ?? 0;
      sink.phase.set('other', t2 - t0 - known);
      return { findings: report.findings.length };
    };
    const phaseRuns = new Map<string, number[]>();
    const ruleRuns = new Map<string, number[]>();
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let t = performance.now();
    const first = await audit();
    const coldAuditMs = performance.now() - t;
    const runs = RUNS[size] ?? 3;
    const parse: number[] = [];
    const full: number[] = [];
    const parseCpu: number[] = [];
    const fullCpu: number[] = [];
    // A full collection before every timed run (the child runs with --expose-gc), so neither side
    // pays for the other's garbage: each starts from the same settled heap.
    const settle = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    for (let i = 0; i < runs; i++) {
      // Interleaved, so a burst of load from elsewhere hits both sides alike.
      settle();
      let c = cpu();
      t = performance.now();
      JSON.parse(fs.readFileSync(file, 'utf8'));
      parse.push(performance.now() - t);
      parseCpu.push(cpu() - c);
      settle();
      c = cpu();
      t = performance.now();
      await audit();
      full.push(performance.now() - t);
      fullCpu.push(cpu() - c);
      for (const [k, v] of sink.phase) phaseRuns.set(k, [...(phaseRuns.get(k) ?? []), v]);
      for (const [k, v] of sink.rule) ruleRuns.set(k, [...(ruleRuns.get(k) ?? []), v]);
    }
    // The baseline's two halves, for scale: reading the file as UTF-8, and JSON.parse of text already in memory.
    const read: number[] = [];
    const parseOnly: number[] = [];
    for (let i = 0; i < runs; i++) {
      settle();
      t = performance.now();
      const text = fs.readFileSync(file, 'utf8');
      read.push(performance.now() - t);
      settle();
      t = performance.now();
      JSON.parse(text);
      parseOnly.push(performance.now() - t);
    }
    const ratios = full.map((a, i) => a / parse[i]);
    const result: ChildResult = {
      resources,
      bytes: fs.statSync(file).size,
      runs,
      children: 1,
      parseRuns: parse,
      auditRuns: full,
      parseCpuRuns: parseCpu,
      auditCpuRuns: fullCpu,
      parseMs: median(parse),
      readMs: median(read),
      parseOnlyMs: median(parseOnly),
      auditMs: median(full),
      parseCpuMs: median(parseCpu),
      auditCpuMs: median(fullCpu),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      coldAuditMs,
      loadBefore,
      loadAfter: os.loadavg()[0],
      phases: Object.fromEntries(PHASES.map((p) => [p, median(phaseRuns.get(p) ?? [0])])),
      topRules: [...ruleRuns].map(([k, v]): [string, number] => [k, median(v)]).sort((a, b) => b[1] - a[1]).slice(0, 6),
      findings: first.findings,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(size: number): ChildResult | undefined {
  process.stderr.write(`bench audit: ${size} resources …\n`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', __filename, '--child', String(size)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`bench audit: ${size} failed (exit ${r.status})\n`);
    process.exitCode = 1;
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** Several children's results as one: runs pooled (medians over all of them), per-phase and per-rule medians of the children's medians. */
function pool(results: ChildResult[]): ChildResult {
  if (results.length === 1) return results[0];
  const all = (k: 'parseRuns' | 'auditRuns' | 'parseCpuRuns' | 'auditCpuRuns') => results.flatMap((r) => r[k]);
  const parseRuns = all('parseRuns');
  const auditRuns = all('auditRuns');
  const ratios = auditRuns.map((a, i) => a / parseRuns[i]);
  const mid = (f: (r: ChildResult) => number) => median(results.map(f));
  const ruleIds = [...new Set(results.flatMap((r) => r.topRules.map(([k]) => k)))];
  return {
    ...results[0],
    runs: auditRuns.length,
    children: results.length,
    parseRuns,
    auditRuns,
    parseCpuRuns: all('parseCpuRuns'),
    auditCpuRuns: all('auditCpuRuns'),
    parseMs: median(parseRuns),
    auditMs: median(auditRuns),
    parseCpuMs: median(all('parseCpuRuns')),
    auditCpuMs: median(all('auditCpuRuns')),
    readMs: mid((r) => r.readMs),
    parseOnlyMs: mid((r) => r.parseOnlyMs),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    coldAuditMs: mid((r) => r.coldAuditMs),
    loadBefore: results[0].loadBefore,
    loadAfter: results[results.length - 1].loadAfter,
    peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
    phases: Object.fromEntries(PHASES.map((p) => [p, mid((r) => r.phases[p] ?? 0)])),
    // A rule outside a child's slowest six counts as 0 there: the pooled list is a lower bound.
    topRules: ruleIds.map((k): [string, number] => [k, mid((r) => r.topRules.find(([id]) => id === k)?.[1] ?? 0)]).sort((a, b) => b[1] - a[1]).slice(0, 6),
  };
}

function parent(sizes: readonly number[]): void {
  const rows: ChildResult[] = [];
  for (const size of sizes) {
    const results: ChildResult[] = [];
    for (let c = 0; c < (CHILDREN[size] ?? 1); c++) {
      const r = runChild(size);
      if (r) results.push(r);
    }
    if (results.length) rows.push(pool(results));
  }
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  const out: string[] = [];
  out.push('## audit', '');
  out.push(
    'Full offline audit as `gantry audit FILE --offline --format json` runs it (read + guard + load + quotas + rules + suppressions + cost + the JSON report written to /dev/null in the pieces the CLI writes to stdout; in-process, after one warm-up run) against `readFileSync` + `JSON.parse` of the same generated `*.tf.json`.',
    'Each size runs in its own child process (24,000, where the target is judged, in three, whose runs are pooled: "3×9" runs; one child\'s median moves by up to ~10% with where its heap and pages fall); parse and audit runs alternate, each after a full garbage collection (so neither pays for garbage the other left); times are medians. "CPU" is process CPU time (user + system, all threads, so it includes parallel GC) of the same runs, less sensitive to other load on a shared machine; "spread" is the lowest and highest per-run ratio; "load" is the 1-minute load average before → after (2 cores: above 2 means other work was competing).',
    'Peak RSS is the whole child process: the generated config, its file text and every run. The first (cold) run also loads the IAM catalogue, the price and quota snapshots and the rule modules. Target ≤ 6× JSON.parse, aim ≤ 3×.',
    '',
  );
  out.push('| resources | file | runs | JSON.parse | audit | ratio | spread | CPU ratio | µs / resource | first run (cold) | findings | peak RSS | load |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    out.push(`| ${r.resources.toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(1)} MiB | ${r.children > 1 ? `${r.children}×${r.runs / r.children}` : r.runs} | ${fmt(r.parseMs)} | ${fmt(r.auditMs)} | ${(r.auditMs / r.parseMs).toFixed(1)}× | ${r.ratioMin.toFixed(1)}–${r.ratioMax.toFixed(1)}× | ${(r.auditCpuMs / r.parseCpuMs).toFixed(1)}× | ${((r.auditMs * 1000) / r.resources).toFixed(0)} | ${fmt(r.coldAuditMs)} | ${r.findings.toLocaleString('en-US')} | ${r.peakRssMiB.toFixed(0)} MiB | ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} |`);
  }
  if (rows.length) {
    out.push('', 'Where the time goes: median wall time per phase (µs per resource in brackets). Medians are taken per phase, so they need not add up exactly to the audit median.', '');
    out.push(`| phase | ${rows.map((r) => r.resources.toLocaleString('en-US')).join(' | ')} |`, `|---|${rows.map(() => '---:').join('|')}|`);
    for (const p of PHASES) out.push(`| ${p} | ${rows.map((r) => `${fmt(r.phases[p])} (${((r.phases[p] * 1000) / r.resources).toFixed(1)})`).join(' | ')} |`);
    out.push(`| *JSON.parse, for scale* | ${rows.map((r) => `${fmt(r.parseMs)} (${((r.parseMs * 1000) / r.resources).toFixed(1)})`).join(' | ')} |`);
    const ref = rows.find((r) => r.resources >= 23_000 && r.resources <= 25_000) ?? rows[rows.length - 1];
    out.push('', `Slowest rules at ${ref.resources.toLocaleString('en-US')} resources (the first IAM rule also builds the model's IAM views, shared by the rest): ${ref.topRules.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}.`);
  }
  const at = (n: number) => rows.find((r) => r.resources >= n * 0.99 && r.resources <= n * 1.01);
  const small = rows[0];
  const big = rows[rows.length - 1];
  if (small && big && small !== big) {
    const growth = big.auditMs / big.resources / (small.auditMs / small.resources);
    const cpuGrowth = big.auditCpuMs / big.resources / (small.auditCpuMs / small.resources);
    out.push('', `Growth: time per resource at ${big.resources.toLocaleString('en-US')} is ${growth.toFixed(2)}× the time per resource at ${small.resources.toLocaleString('en-US')} (CPU time: ${cpuGrowth.toFixed(2)}×; 1.0× = linear, JSON.parse itself: ${(big.parseMs / big.resources / (small.parseMs / small.resources)).toFixed(2)}×).`);
  }
  const verdict = (r: ChildResult) => `${(r.auditMs / r.parseMs).toFixed(2)}× JSON.parse (${r.auditMs / r.parseMs <= 6 ? 'within' : 'OVER'} the 6× target${r.auditMs / r.parseMs <= 3 ? ', and within the 3× aim' : ''})`;
  const target = at(24_000);
  if (target) {
    out.push('', `At ~24,000 resources the audit takes ${verdict(target)}.`);
    out.push(
      '',
      `For scale, the baseline's two halves at 24,000 (median of the same runs): readFileSync as UTF-8 ${fmt(target.readMs)}, JSON.parse of the text already in memory ${fmt(target.parseOnlyMs)}. The audit reads an ASCII file as Latin-1 (the same text, without UTF-8 decoding), so against JSON.parse of the text alone it is ${(target.auditMs / target.parseOnlyMs).toFixed(1)}×.`,
    );
  }
  if (sizes.includes(24_000)) out.push('', ...wholeProcess(24_000, 5));
  process.stdout.write(out.join('\n') + '\n');
}

/**
 * What a user waits for: `gantry audit FILE --offline --format json > /dev/null` as a new process
 * (start-up, module loading, the IAM catalogue and snapshots included) against a new process that
 * only reads and `JSON.parse`s the file. Alternating, medians; peak RSS from each process itself.
 */
function wholeProcess(size: number, runs: number): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-cli-'));
  try {
    const file = path.join(dir, 'bench.tf.json');
    fs.writeFileSync(file, JSON.stringify(generate(size), null, 2));
    // Preloaded into both processes: reports the process's own peak RSS on exit.
    const hook = path.join(dir, 'rss.js');
    fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write('\\nbench-rss ' + process.resourceUsage().maxRSS + '\\n'));\n");
    const cli = path.join(__dirname, '..', 'auditor', 'cli', 'main.js');
    const time = (args: string[]): { ms: number; rssMiB: number; status: number | null } => {
      const t = performance.now();
      const r = spawnSync(process.execPath, ['--require', hook, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - t;
      const m = /bench-rss (\d+)/.exec(r.stderr ?? '');
      return { ms, rssMiB: m ? Number(m[1]) / 1024 : NaN, status: r.status };
    };
    const parseArgs = ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`];
    const auditArgs = [cli, 'audit', 'bench.tf.json', '--offline', '--format', 'json'];
    time(parseArgs);
    const warm = time(auditArgs); // one warm-up each (file cache, compiled code on disk)
    if (warm.status !== 0 && warm.status !== 1) return [`(whole-process run failed: gantry exited ${warm.status})`];
    const p: number[] = [];
    const a: number[] = [];
    const bare: number[] = [];
    let pRss = 0;
    let aRss = 0;
    for (let i = 0; i < runs; i++) {
      bare.push(time(['-e', '0']).ms);
      const x = time(parseArgs);
      const y = time(auditArgs);
      p.push(x.ms);
      a.push(y.ms);
      pRss = Math.max(pRss, x.rssMiB);
      aRss = Math.max(aRss, y.rssMiB);
    }
    const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return [
      `Whole processes at ${size.toLocaleString('en-US')} resources, as a user runs them (start-up, module loading, IAM catalogue and snapshots included; exit 1 because the generated config has planted findings), ${runs} alternating runs after a warm-up:`,
      '',
      '| process | median wall | min–max | peak RSS |',
      '|---|---:|---:|---:|',
      `| \`node -e 0\` (Node start-up alone, for scale) | ${fmtS(median(bare))} | ${fmtS(Math.min(...bare))}–${fmtS(Math.max(...bare))} | |`,
      `| \`node -e "JSON.parse(readFileSync(file))"\` | ${fmtS(median(p))} | ${fmtS(Math.min(...p))}–${fmtS(Math.max(...p))} | ${pRss.toFixed(0)} MiB |`,
      `| \`gantry audit file --offline --format json\` | ${fmtS(median(a))} | ${fmtS(Math.min(...a))}–${fmtS(Math.max(...a))} | ${aRss.toFixed(0)} MiB |`,
      '',
      `Ratio of medians: ${(median(a) / median(p)).toFixed(1)}× (both include Node's start-up; without it, ${((median(a) - median(bare)) / Math.max(1, median(p) - median(bare))).toFixed(1)}×).`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    child(Number(process.argv[i + 1])).catch((e) => {
      process.stderr.write(`bench audit child: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
  } else {
    // `node dist/bench/audit.js 1000 10000`: only those sizes (a quick look); default all.
    const asked = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
    parent(asked.length ? asked : SIZES);
  }
}
