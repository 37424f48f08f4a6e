/**
 * An EventBridge rule on the default bus with one target. Targets that need a role (CodeBuild,
 * CodePipeline) get their own, trusted only for this rule and allowed only what `grant` adds.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget, type CloudwatchEventTargetInputTransformer } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import type { AwsEnv } from '../lib/aws-env';
import type { Statement } from '../lib/policy';
import { ServiceRole } from './service-role';

export interface EventRuleProps {
  readonly env: AwsEnv;
  readonly ruleName: string;
  readonly description: string;
  readonly eventPattern: Record<string, unknown>;
  readonly targetArn: string;
  readonly targetId: string;
  /** Statements the target's role needs (StartBuild, StartPipelineExecution). @default - no role (resource-policy targets such as SNS) */
  readonly roleStatements?: readonly Statement[];
  /** @default - the event as is */
  readonly inputTransformer?: CloudwatchEventTargetInputTransformer;
}

export class EventRule extends Construct {
  readonly rule: CloudwatchEventRule;
  /** Literal ARN (known at plan time). */
  readonly arn: string;
  readonly role?: ServiceRole;

  constructor(scope: Construct, id: string, props: EventRuleProps) {
    super(scope, id);
    this.arn = props.env.arn('events', `rule/${props.ruleName}`);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.ruleName,
      description: props.description,
      eventPattern: JSON.stringify(props.eventPattern),
      state: 'ENABLED',
    });
    if (props.roleStatements?.length) {
      this.role = new ServiceRole(this, 'role', {
        env: props.env,
        roleName: `${props.ruleName}-events`.slice(0, 64),
        description: `EventBridge rule ${props.ruleName} invokes its target`,
        service: 'events',
        sourceArns: [this.arn],
      });
      this.role.grant(...props.roleStatements);
    }
    new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: props.targetId,
      arn: props.targetArn,
      ...(this.role ? { roleArn: this.role.role.arn } : {}),
      ...(props.inputTransformer ? { inputTransformer: props.inputTransformer } : {}),
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
    });
  }
}
