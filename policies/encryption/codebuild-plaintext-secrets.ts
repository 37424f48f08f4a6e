import type { ResourceNode } from '../../auditor/model/types';
import type { Rule, RuleResult } from '../rule';
import { judgeManaged } from '../lib/judge';
import { findAccessKeyId, isAwsCredentialName, isSecretName, looksLikeSecretAccessKey } from '../lib/names';
import { block, blockItems, literal } from '../lib/values';

/** `${aws_secretsmanager_secret.s.arn}` or `${aws_ssm_parameter.p.name}`: the variable names where the secret lives, it does not hold it. */
function isPointerToSecretStore(v: unknown): boolean {
  return typeof v === 'string' && SECRET_STORE_POINTER.test(v);
}
// A constant, not a literal in the function: a literal makes a RegExp object per call (per variable).
const SECRET_STORE_POINTER = /^\$\{\s*(data\.)?(aws_secretsmanager_secret|aws_ssm_parameter)\.[\w-]+(\[[^\]]*\])?\.(arn|name|id)\s*\}$/;

export const rule: Rule = {
  id: 'encryption/codebuild-plaintext-secrets',
  title: 'CodeBuild environment variables hold no credentials or secrets in plain text',
  category: 'encryption',
  severity: 'critical',
  rationale:
    'PLAINTEXT environment variables are stored unencrypted in the project definition, shown in the console and to anyone with codebuild:BatchGetProjects, and written to Terraform state and plans. AWS keys there are long-lived credentials that bypass the project\'s role. ' +
    'Severity (ours): critical for AWS credentials (names like AWS_SECRET_ACCESS_KEY, or values shaped like an access key id AKIA…/ASIA… or a secret access key); high for other secret-looking names (PASSWORD, TOKEN, SECRET, API_KEY).',
  remediation:
    'Delete AWS keys from the project and let the build use its service role. Store other secrets in Secrets Manager or SSM Parameter Store and reference them with an environment_variable of type SECRETS_MANAGER or PARAMETER_STORE; rotate any secret that was ever in plain text.',
  equivalents: {},
  check(model) {
    return judgeManaged(model, 'aws_codebuild_project', judge, undefined);
  },
};

function judge(project: ResourceNode, results: RuleResult[]): void {
  const vars = blockItems(block(project.values.environment)?.environment_variable);
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i];
    const name = literal(v.name) ?? '';
    const type = literal(v.type) ?? 'PLAINTEXT';
    if (type !== 'PLAINTEXT') continue;
    const raw = v.value;
    if (raw === undefined || raw === null || raw === '' || isPointerToSecretStore(raw)) continue;
    const value = literal(raw) ?? '';
    const keyId = value ? findAccessKeyId(value) : undefined;
    if (isAwsCredentialName(name) || keyId || (value && looksLikeSecretAccessKey(value))) {
      const why = keyId ? `its value looks like an AWS access key id (${keyId.slice(0, 4)}…)` : isAwsCredentialName(name) ? 'it holds AWS credentials' : 'its value looks like an AWS secret access key';
      results.push({ node: project, message: `environment variable ${name || '(unnamed)'} is PLAINTEXT and ${why}`, detail: name || keyId });
    } else if (name && isSecretName(name)) {
      results.push({ node: project, severity: 'high', message: `environment variable ${name} looks like a secret and is stored as PLAINTEXT`, detail: name });
    }
  }
}
