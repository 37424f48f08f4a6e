/**
 * The pull-request check's buildspec: install, synthesize the stacks, audit them, publish the
 * audit as a JUnit report. Generated (not a file in the application repository) so the gate
 * cannot be weakened by the change it is checking.
 */
import { toYaml } from './yaml';

export interface PullRequestCheckBuildspecOptions {
  /** Node.js runtime version in the CodeBuild image. @default "20" */
  readonly nodeVersion?: string;
  /** Severity at which the audit fails the check. @default "high" */
  readonly failOn?: 'critical' | 'high' | 'medium' | 'low' | 'none';
  /** Monthly cost budget in USD; the check fails above it. @default - no budget */
  readonly budgetUsd?: number;
  /** Report group the JUnit file is published to (the name the project knows it by). */
  readonly reportGroupArn: string;
  /** Extra commands after the audit (comments, approvals). @default - none */
  readonly postAuditCommands?: readonly string[];
}

export function pullRequestCheckBuildspec(options: PullRequestCheckBuildspecOptions): string {
  const failOn = options.failOn ?? 'high';
  const budget = options.budgetUsd !== undefined ? ` --budget ${options.budgetUsd}` : '';
  return toYaml({
    version: 0.2,
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: options.nodeVersion ?? '20' }, commands: ['npm ci --no-audit --no-fund'] },
      build: {
        commands: [
          'npm run synth',
          'mkdir -p reports',
          `npx gantry audit cdktf.out --offline --fail-on none --format junit --output reports/gantry-audit.xml`,
          `npx gantry audit cdktf.out --offline --fail-on ${failOn}${budget} --format markdown --output reports/gantry-audit.md`,
          ...(options.postAuditCommands ?? []),
        ],
      },
    },
    reports: { [options.reportGroupArn]: { files: ['gantry-audit.xml'], 'base-directory': 'reports', 'file-format': 'JUNITXML' } },
    artifacts: { files: ['reports/**/*'] },
  });
}
