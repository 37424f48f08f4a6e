/**
 * The CodeBuild project a Lambda application's pipeline uses to publish a version before
 * CodeDeploy shifts the alias: it uploads the package from the build output, waits for the update,
 * publishes a version and writes `appspec.yaml` (alias, current version, target version) as its
 * output artifact. Its role may update and publish exactly the application's functions.
 */
import { Construct } from 'constructs';
import type { AwsEnv } from '../../lib/aws-env';
import { suppress } from '../../lib/suppress';
import { BuildProject } from '../build-project';
import type { EncryptionKey } from '../encryption-key';
import type { SecureBucket } from '../secure-bucket';

export interface LambdaPublisherProps {
  readonly env: AwsEnv;
  readonly projectName: string;
  readonly encryptionKey: EncryptionKey;
  readonly artifactBucket: SecureBucket;
  /** Functions (names) of every environment. */
  readonly functionNames: readonly string[];
  /** The zip the build output carries. @default "function.zip" */
  readonly packagePath?: string;
}

/** The publish buildspec; FUNCTION_NAME and FUNCTION_ALIAS come from the pipeline action. */
export function publishBuildspec(packagePath: string): string {
  const lines = [
    'version: 0.2',
    'env:',
    '  shell: bash',
    'phases:',
    '  build:',
    '    commands:',
    `      - test -f "${packagePath}" || { echo "${packagePath} is missing from the build output" >&2; exit 1; }`,
    '      - CURRENT="$(aws lambda get-alias --function-name "$FUNCTION_NAME" --name "$FUNCTION_ALIAS" --query FunctionVersion --output text)"',
    `      - aws lambda update-function-code --function-name "$FUNCTION_NAME" --zip-file "fileb://${packagePath}" --output text --query LastUpdateStatus`,
    '      - aws lambda wait function-updated-v2 --function-name "$FUNCTION_NAME"',
    '      - TARGET="$(aws lambda publish-version --function-name "$FUNCTION_NAME" --query Version --output text)"',
    '      - echo "shifting $FUNCTION_NAME:$FUNCTION_ALIAS from version $CURRENT to $TARGET"',
    '      - printf \'version: 0.0\\nResources:\\n  - function:\\n      Type: AWS::Lambda::Function\\n      Properties:\\n        Name: "%s"\\n        Alias: "%s"\\n        CurrentVersion: "%s"\\n        TargetVersion: "%s"\\n\' "$FUNCTION_NAME" "$FUNCTION_ALIAS" "$CURRENT" "$TARGET" > appspec.yaml',
    'artifacts:',
    '  files:',
    '    - appspec.yaml',
  ];
  return `${lines.join('\n')}\n`;
}

export class LambdaPublisher extends Construct {
  readonly project: BuildProject;

  constructor(scope: Construct, id: string, props: LambdaPublisherProps) {
    super(scope, id);
    const env = props.env;
    this.project = new BuildProject(this, 'project', {
      env,
      projectName: props.projectName,
      description: 'Publishes a Lambda version and writes the CodeDeploy appspec that shifts the alias to it',
      encryptionKey: props.encryptionKey,
      artifactBucket: props.artifactBucket,
      timeoutMinutes: 15,
      buildspec: publishBuildspec(props.packagePath ?? 'function.zip'),
      cache: { type: 'none' },
    });
    const fns = [...new Set(props.functionNames)].flatMap((f) => {
      const arn = env.arn('lambda', `function:${f}`);
      return [arn, `${arn}:*`];
    });
    this.project.grant({
      Sid: 'PublishVersionsOfNamedFunctions',
      Effect: 'Allow',
      Action: ['lambda:GetAlias', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode', 'lambda:PublishVersion'],
      Resource: fns,
    });
    suppress(
      this.project.role.role,
      'iam/privilege-escalation',
      "Accepted, not a false positive: replacing the code of the application's own functions is this role's job (that is what a deployment is), and that code runs with the function's role by design. It is limited to the functions named in the config, cannot touch their configuration or role, and runs only from the pipeline after its approvals.",
      { detail: 'EditExistingLambdaFunctionWithRole' },
    );
  }
}
