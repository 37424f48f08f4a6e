/**
 * Gantry's own stacks, synthesized from gantry.config.ts, against the encryption and reliability
 * rules: the stacks are built to pass them, so no finding at high or above may remain. (Lower ones
 * must be suppressed in code to pass `--fail-on low`; that gate is the CLI self-audit's.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import config from '../../gantry.config';
import { modelFromTerraformJson } from '../../auditor/load';
import type { ResourceModel } from '../../auditor/model/types';
import { ENCRYPTION_RULES } from '../../policies/encryption';
import { RELIABILITY_RULES } from '../../policies/reliability';
import { synthesize } from '../../stacks/app';
import { validateConfig } from '../../stacks/config/validate';
import { ctx } from './encryption-fixtures';

describe("Gantry's own stacks", () => {
  let model: ResourceModel;
  let findings: { rule: string; stack: string; address: string; severity: string; message: string }[];

  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-enc-synth-'));
    const names = synthesize(validateConfig(config, 'gantry.config.ts'), outdir);
    const stacks: Record<string, unknown> = {};
    for (const n of names) stacks[n] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', n, 'cdk.tf.json'), 'utf8'));
    model = modelFromTerraformJson(stacks);
    findings = [...ENCRYPTION_RULES, ...RELIABILITY_RULES].flatMap((rule) =>
      rule.check(model, ctx).map((x) => ({
        rule: rule.id,
        stack: x.node.stack,
        address: x.node.address,
        severity: x.severity ?? rule.severity,
        message: x.message,
      })),
    );
  }, 120000);

  test('synthesizes stacks with the resources these rules judge', () => {
    for (const type of ['aws_s3_bucket', 'aws_kms_key', 'aws_codepipeline', 'aws_codebuild_project', 'aws_dynamodb_table']) expect(model.byType(type).length).toBeGreaterThan(0);
  });

  test('no critical or high finding', () => {
    expect(findings.filter((f) => f.severity === 'critical' || f.severity === 'high')).toEqual([]);
  });
});
