/**
 * `npm run bench`: runs every benchmark script in this folder (each a standalone process that
 * prints one Markdown section on stdout) and writes BENCHMARKS.md with the machine and date.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BENCHES = ['synth', 'audit'];

function main(): void {
  const only = process.argv.slice(2);
  const sections: string[] = [];
  for (const name of BENCHES) {
    if (only.length && !only.includes(name)) continue;
    const script = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(script)) {
      sections.push(`## ${name}\n\n(no benchmark script ${name}.js)\n`);
      continue;
    }
    process.stderr.write(`bench: ${name} …\n`);
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) {
      process.stderr.write(`bench: ${name} failed (exit ${r.status})\n`);
      process.exitCode = 1;
    }
    sections.push(r.stdout.trim() + '\n');
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length}× ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node.js ${process.version}.`,
    'Regenerate with `npm run bench` (it rewrites this file).',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(__dirname, '..', '..', 'BENCHMARKS.md'), header + '\n' + sections.join('\n'));
}

main();
