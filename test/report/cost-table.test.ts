import * as path from 'node:path';
import { main } from '../../auditor/cli/main';
import type { CliIo } from '../../auditor/cli/io';

const ROOT = path.resolve(__dirname, '..', '..');

async function table(args: string[]): Promise<string> {
  const io = { out: '', cwd: ROOT, env: {}, stdout: (t: string) => void (io.out += t), stderr: () => undefined } as CliIo & { out: string };
  await main(['audit', ...args, '--fail-on', 'none'], io);
  return io.out;
}

describe('table report: cost section', () => {
  const args = ['test/fixtures/tutorial/tutorial-stack.tf.json', '--usage', 'test/fixtures/usage/tutorial.yml'];

  it('keeps priced resources a free tier covers as $0.00 rows of their own (the V1 pipeline)', async () => {
    const out = await table(args);
    expect(out).toMatch(/│ tutorial-stack\/aws_codepipeline\.pipeline\s+│ aws_codepipeline\s+│ \$0\.00\s+│/);
    expect(out).toMatch(/│ tutorial-stack\/aws_codebuild_project\.build\s+│ aws_codebuild_project\s+│ \$2\.00\s+│/);
  });

  it('has no Delta column without --compare, and every line fits 120 columns', async () => {
    const out = await table(args);
    const header = out.split('\n').find((l) => l.includes('│ Resource') && l.includes('Monthly'))!;
    expect(header.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['Resource', 'Type', 'Monthly']);
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('without the free tier the pipeline row carries its monthly price', async () => {
    const out = await table([...args, '--no-free-tier']);
    expect(out).toMatch(/│ tutorial-stack\/aws_codepipeline\.pipeline\s+│ aws_codepipeline\s+│ \$1\.00\s+│/);
  });
});
