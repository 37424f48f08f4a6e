/**
 * Synth benchmark: in one run, side by side, the whole `npm run synth` process (node dist/main.js
 * on the example gantry.config.ts) against the time node needs just to
 * `require('@cdktf/provider-aws')` (the barrel). Interleaved runs, medians, peak RSS of each
 * process. Prints one Markdown section (bench/run.ts collects it into BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RUNS = Number(process.env.GANTRY_BENCH_RUNS ?? 5);
const TARGET = 0.35;
const AIM = 0.15;
const PEAK_LIMIT_MIB = 300;

interface Sample {
  wallMs: number;
  peakMiB: number;
}

/** Run `node -e <code>` and return its wall time and peak RSS (reported by the child at exit). */
function measure(code: string, cwd: string, env: NodeJS.ProcessEnv): Sample {
  const probe = `process.on('exit',()=>{require('fs').writeSync(2,'\\nGANTRY_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n')});`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', probe + code], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`benchmark child failed (${r.status}): ${r.stderr}`);
  const kb = Number(/GANTRY_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return { wallMs, peakMiB: kb / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const root = path.resolve(__dirname, '..', '..');
  const mainJs = path.join(root, 'dist', 'main.js');
  if (!fs.existsSync(mainJs)) throw new Error(`${mainJs} is missing; run npm run build first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-synth-'));
  const synth: Sample[] = [];
  const barrel: Sample[] = [];
  try {
    const synthEnv = { ...process.env, CDKTF_OUTDIR: path.join(work, 'cdktf.out') };
    const barrelCode = `require(${JSON.stringify(require.resolve('@cdktf/provider-aws', { paths: [root] }))})`;
    // Warm the file cache once for each, then interleave so load changes hit both alike.
    measure(`require(${JSON.stringify(mainJs)})`, work, synthEnv);
    measure(barrelCode, root, process.env);
    for (let i = 0; i < RUNS; i++) {
      synth.push(measure(`require(${JSON.stringify(mainJs)})`, work, synthEnv));
      barrel.push(measure(barrelCode, root, process.env));
    }
    const stacks = fs.readdirSync(path.join(work, 'cdktf.out', 'stacks'));
    const resources = stacks.reduce((n, s) => {
      const tf = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', s, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
      return n + Object.values(tf.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0);
    }, 0);

    const sw = median(synth.map((s) => s.wallMs));
    const bw = median(barrel.map((s) => s.wallMs));
    const ratio = sw / bw;
    const peak = Math.max(...synth.map((s) => s.peakMiB));
    const verdict = ratio <= AIM ? `meets the aim (≤ ${AIM}×)` : ratio <= TARGET ? `meets the target (≤ ${TARGET}×), not the aim (≤ ${AIM}×)` : `MISSES the target (≤ ${TARGET}×)`;
    const lines = [
      '## synth',
      '',
      `\`npm run synth\` of the example \`gantry.config.ts\` (${stacks.length} stacks, ${resources} resources) against \`node -e "require('@cdktf/provider-aws')"\`,`,
      `whole processes, ${RUNS} interleaved runs each after one warm-up, median wall time, peak RSS (max over runs).`,
      '',
      '| process | median wall | min–max wall | peak RSS |',
      '|---|---:|---:|---:|',
      `| synth (node dist/main.js) | ${(sw / 1000).toFixed(3)} s | ${(Math.min(...synth.map((s) => s.wallMs)) / 1000).toFixed(3)}–${(Math.max(...synth.map((s) => s.wallMs)) / 1000).toFixed(3)} s | ${peak.toFixed(0)} MiB |`,
      `| require('@cdktf/provider-aws') | ${(bw / 1000).toFixed(3)} s | ${(Math.min(...barrel.map((s) => s.wallMs)) / 1000).toFixed(3)}–${(Math.max(...barrel.map((s) => s.wallMs)) / 1000).toFixed(3)} s | ${Math.max(...barrel.map((s) => s.peakMiB)).toFixed(0)} MiB |`,
      '',
      `Ratio synth / barrel require: **${ratio.toFixed(3)}×** — ${verdict}. Peak ${peak.toFixed(0)} MiB ${peak <= PEAK_LIMIT_MIB ? '≤' : '>'} ${PEAK_LIMIT_MIB} MiB.`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (ratio > TARGET || peak > PEAK_LIMIT_MIB) process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
