/**
 * aws-sdk-client-mock stubs for every client the quota live mode uses, so no test sends a real
 * request (or looks for credentials). Import once per test file; call resetAwsMocks() in beforeEach.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { IAMClient } from '@aws-sdk/client-iam';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { KMSClient } from '@aws-sdk/client-kms';

export const sq = mockClient(ServiceQuotasClient);
export const iam = mockClient(IAMClient);
export const cw = mockClient(CloudWatchClient);
export const codecommit = mockClient(CodeCommitClient);
export const codebuild = mockClient(CodeBuildClient);
export const codepipeline = mockClient(CodePipelineClient);
export const codedeploy = mockClient(CodeDeployClient);
export const s3 = mockClient(S3Client);
export const dynamodb = mockClient(DynamoDBClient);
export const sns = mockClient(SNSClient);
export const eventbridge = mockClient(EventBridgeClient);
export const logs = mockClient(CloudWatchLogsClient);
export const kms = mockClient(KMSClient);

const ALL = [sq, iam, cw, codecommit, codebuild, codepipeline, codedeploy, s3, dynamodb, sns, eventbridge, logs, kms];
export const LIST_MOCKS = [codecommit, codebuild, codepipeline, codedeploy, s3, dynamodb, sns, eventbridge, logs, kms];

export function resetAwsMocks(): void {
  for (const m of ALL) m.reset();
}

/** Every list call sent in this test, across the list clients. */
export function listCalls(): number {
  return LIST_MOCKS.reduce((n, m) => n + m.calls().length, 0);
}
