/**
 * Buildspecs of the infrastructure pipeline (generated, never read from the branch being shipped):
 *
 * - Audit: install, synthesize, audit every stack offline (`--fail-on`, `--budget`, `--compare`
 *   against the synthesis last applied, kept in the artifact bucket), and export the summary, the
 *   monthly total and its delta as CodePipeline variables (namespace `Audit`) for the approval.
 *   The audit's exit code fails the build: nothing after it runs when the audit fails.
 * - Plan: install a checksum-verified Terraform, then per stack `terraform init` (S3 backend) and
 *   `terraform plan -out=<stack>.tfplan`; the output artifact is the synthesis with the saved plans
 *   and each stack's `.terraform.lock.hcl` (provider binaries excluded).
 * - Apply: the same Terraform, then per stack `terraform init` (providers pinned by the lock file)
 *   and `terraform apply <stack>.tfplan` — exactly the plan the approver saw; Terraform refuses a
 *   saved plan whose state has moved on. Afterwards the applied synthesis becomes the next audit's base.
 */
import { toYaml } from './yaml';

/** Where the last applied synthesis is kept in the artifact bucket (the next audit's `--compare` base). */
export const APPLIED_PREFIX = 'applied/cdktf.out';
export const AUDIT_JSON = 'reports/audit.json';
export const AUDIT_MARKDOWN = 'reports/audit.md';
/** Variables the audit exports; the pipeline reads them as `#{Audit.<name>}`. */
export const AUDIT_VARIABLES = ['AUDIT_SUMMARY', 'COST_TOTAL', 'COST_DELTA'] as const;
export const AUDIT_NAMESPACE = 'Audit';

export interface AuditBuildspecOptions {
  /** Monthly budget in USD; the audit fails above it. */
  readonly budgetUsd: number;
  /** @default "high" */
  readonly failOn?: 'critical' | 'high' | 'medium' | 'low' | 'none';
  /** The pipeline's artifact bucket (holds the last applied synthesis). */
  readonly artifactBucket: string;
  /** @default "20" */
  readonly nodeVersion?: string;
}

export interface TerraformBuildspecOptions {
  /** Stack names, in order. */
  readonly stacks: readonly string[];
  readonly terraformVersion: string;
}

export interface ApplyBuildspecOptions extends TerraformBuildspecOptions {
  readonly artifactBucket: string;
}

/** Reads the audit JSON and prints `export NAME='value'` lines for the pipeline variables (values kept short: CustomData allows 500 characters). */
function exportVariablesScript(): string {
  // No `${` anywhere: Terraform would read it as an interpolation in the project's buildspec.
  const js =
    'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));' +
    'const b=r.summary.bySeverity;const usd=(n)=>"$"+n.toFixed(2);const d=r.cost.diff;' +
    'const v={AUDIT_SUMMARY:b.critical+" critical, "+b.high+" high, "+b.medium+" medium, "+b.low+" low (fail-on "+r.summary.failOn+": "+(r.summary.failed?"failed":"passed")+")",' +
    'COST_TOTAL:usd(r.cost.monthlyTotal)+"/month",' +
    'COST_DELTA:d?(d.monthlyDelta>=0?"+":"-")+usd(Math.abs(d.monthlyDelta))+"/month":"n/a (no applied base yet)"};' +
    // Single-quoted for bash (written as \\x27: the script itself sits in single quotes), so "$" stays literal.
    'for(const[k,x]of Object.entries(v))console.log("export "+k+"=\\x27"+String(x).replace(/\\x27/g,"")+"\\x27")';
  return `node -e '${js}' ${AUDIT_JSON} > reports/variables.sh`;
}

/** The audit command itself (exported so tests can check it is not masked). */
export function auditCommand(options: AuditBuildspecOptions): string {
  return (
    `node dist/auditor/cli/main.js audit cdktf.out --offline $COMPARE --fail-on ${options.failOn ?? 'high'} --budget ${options.budgetUsd}` +
    ` --format json --output ${AUDIT_JSON} --markdown-report ${AUDIT_MARKDOWN}`
  );
}

export function infrastructureAuditBuildspec(options: AuditBuildspecOptions): string {
  return toYaml({
    version: 0.2,
    env: { shell: 'bash', 'exported-variables': [...AUDIT_VARIABLES] },
    phases: {
      install: { 'runtime-versions': { nodejs: options.nodeVersion ?? '20' }, commands: ['npm ci --no-audit --no-fund'] },
      build: {
        commands: [
          'npm run synth',
          'mkdir -p reports base',
          // The synthesis last applied (none before the first apply): the audit reports new findings and the cost delta against it.
          `aws s3 cp --recursive --only-show-errors "s3://${options.artifactBucket}/${APPLIED_PREFIX}" base/cdktf.out`,
          'if [ -d base/cdktf.out/stacks ]; then COMPARE="--compare base/cdktf.out"; else COMPARE=""; echo "gantry: no applied synthesis yet; auditing without --compare"; fi',
          // Exit 1 (finding at or above fail-on, or over budget) or 2 fails the build here.
          auditCommand(options),
          exportVariablesScript(),
          '. reports/variables.sh',
          'echo "gantry: $AUDIT_SUMMARY; monthly cost $COST_TOTAL (delta $COST_DELTA)"',
        ],
      },
      post_build: { commands: [`if [ -f ${AUDIT_MARKDOWN} ]; then cat ${AUDIT_MARKDOWN}; fi`] },
    },
    artifacts: { files: ['cdktf.out/**/*', 'reports/**/*'] },
  });
}

/** Install Terraform `version` from releases.hashicorp.com, checked against its published SHA-256 sums. */
export function installTerraformCommands(version: string): string[] {
  const base = `https://releases.hashicorp.com/terraform/${version}`;
  const zip = `terraform_${version}_linux_amd64.zip`;
  return [
    `curl -fsSL -o "/tmp/${zip}" "${base}/${zip}"`,
    `curl -fsSL -o /tmp/terraform_SHA256SUMS "${base}/terraform_${version}_SHA256SUMS"`,
    `(cd /tmp && grep " ${zip}$" terraform_SHA256SUMS | sha256sum -c -)`,
    `unzip -o -q "/tmp/${zip}" -d /usr/local/bin`,
    'terraform version',
  ];
}

const stackDir = (stack: string) => `"$CODEBUILD_SRC_DIR/cdktf.out/stacks/${stack}"`;
const TF_FLAGS = '-input=false -no-color';

/** One command per stack: init against the S3 backend, plan (taking the state lock) into `<stack>.tfplan`, and a readable copy. */
export function planCommand(stack: string): string {
  return (
    `(cd ${stackDir(stack)} && terraform init ${TF_FLAGS} && terraform plan ${TF_FLAGS} -lock-timeout=5m -out=${stack}.tfplan` +
    ` && terraform show ${TF_FLAGS.replace('-input=false ', '')} ${stack}.tfplan > ${stack}.plan.txt)`
  );
}

/** One command per stack: init (providers pinned by the lock file the plan wrote) and apply that saved plan. */
export function applyCommand(stack: string): string {
  return `(cd ${stackDir(stack)} && terraform init ${TF_FLAGS} -lockfile=readonly && terraform apply ${TF_FLAGS} -lock-timeout=5m ${stack}.tfplan)`;
}

export function infrastructurePlanBuildspec(options: TerraformBuildspecOptions): string {
  return toYaml({
    version: 0.2,
    env: { shell: 'bash', variables: { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } },
    phases: {
      install: { commands: installTerraformCommands(options.terraformVersion) },
      build: { commands: options.stacks.map(planCommand) },
    },
    // The saved plans, lock files and the audited synthesis; provider binaries are re-installed by `init` on apply.
    artifacts: { files: ['cdktf.out/**/*', 'reports/**/*'], 'exclude-paths': ['cdktf.out/**/.terraform/**/*'] },
  });
}

export function infrastructureApplyBuildspec(options: ApplyBuildspecOptions): string {
  return toYaml({
    version: 0.2,
    env: { shell: 'bash', variables: { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } },
    phases: {
      install: { commands: installTerraformCommands(options.terraformVersion) },
      build: {
        commands: [
          ...options.stacks.map(applyCommand),
          // The next audit compares against what is now deployed.
          `aws s3 sync --delete --only-show-errors cdktf.out "s3://${options.artifactBucket}/${APPLIED_PREFIX}" --exclude "*.tfplan" --exclude "*.plan.txt" --exclude "*/.terraform/*"`,
        ],
      },
    },
  });
}
