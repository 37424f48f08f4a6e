/** Bad usage: every mistake is exit 2 and one line, without loading anything. */
import { cli, expectOneLineError, tmpdir, write } from './harness';

const cwd = tmpdir();
const input = write(cwd, 'x.tf.json', { resource: {} });

describe('gantry flags', () => {
  it.each([
    [['audit', input, '--format', 'xml'], /option '--format <format>' argument 'xml' is invalid\. Allowed choices are table, json, sarif, junit, markdown\./],
    [['audit', input, '--fail-on', 'severe'], /argument 'severe' is invalid/],
    [['audit', input, '--budget', 'lots'], /'lots' is not an amount of US dollars/],
    [['audit', input, '--budget', '-5'], /'-5' is not an amount/],
    [['audit', input, '--budget', ''], /'' is not an amount/],
    [['audit', input, '--region', 'Mars'], /'Mars' is not an AWS region name/],
    [['audit', input, '--quota-warn-at', '180'], /not a percentage/],
    [['audit', input, '--frmat', 'json'], /unknown option '--frmat'.*Did you mean --format\?/],
    [['audit', input, '--live', '--offline'], /cannot be used with/],
    [['audit', input, '--format'], /argument missing/],
    [['audti'], /unknown command 'audti'/],
    [['audit', input, '--new-only'], /--new-only: needs --compare BASE/],
  ])('%j exits 2 with one line', async (args, re) => {
    expectOneLineError(await cli(args, cwd), re);
  });

  it('prints help and the version with exit 0', async () => {
    const h = await cli(['audit', '--help'], cwd);
    expect(h.code).toBe(0);
    for (const f of ['--format', '--output', '--fail-on', '--budget', '--usage', '--compare', '--live', '--offline', '--region', '--suppressions', '--no-suppressions', '--no-free-tier', '--new-only', '--markdown-report']) expect(h.stdout).toContain(f);
    const v = await cli(['--version'], cwd);
    expect(v).toEqual({ code: 0, stdout: `${require('../../package.json').version}\n`, stderr: '' });
  });

  it('without a command shows usage on stderr and exits 2', async () => {
    const r = await cli([], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: gantry/);
  });

  it('without an input and no ./cdktf.out says what to do', async () => {
    expectOneLineError(await cli(['audit'], cwd), /^gantry: cdktf\.out: not found; synthesize the stacks first/);
  });
});
