import type { Rule } from '../rule';
import { rule as codebuildEncryptionDisabled } from './codebuild-encryption-disabled';
import { rule as codebuildPlaintextSecrets } from './codebuild-plaintext-secrets';
import { rule as codebuildProjectEncryptionKey } from './codebuild-project-encryption-key';
import { rule as codecommitRepositoryKey } from './codecommit-repository-key';
import { rule as codepipelineArtifactStoreKey } from './codepipeline-artifact-store-key';
import { rule as dynamodbTableCustomerKey } from './dynamodb-table-customer-key';
import { rule as kmsKeyEnabled } from './kms-key-enabled';
import { rule as kmsKeyPolicyWildcardPrincipal } from './kms-key-policy-wildcard-principal';
import { rule as kmsKeyRotation } from './kms-key-rotation';
import { rule as logGroupKmsKey } from './log-group-kms-key';
import { rule as s3BucketKeyEnabled } from './s3-bucket-key-enabled';
import { rule as s3BucketSseKms } from './s3-bucket-sse-kms';
import { rule as s3PublicAccessBlock } from './s3-public-access-block';
import { rule as s3TlsOnlyPolicy } from './s3-tls-only-policy';
import { rule as secretsmanagerSecretCustomerKey } from './secretsmanager-secret-customer-key';
import { rule as snsTopicCustomerKey } from './sns-topic-customer-key';
import { rule as ssmParameterSecureString } from './ssm-parameter-secure-string';
import { rule as terraformBackendEncrypted } from './terraform-backend-encrypted';

/** Every encryption rule, one per file in this folder. */
export const ENCRYPTION_RULES: readonly Rule[] = [
  codebuildEncryptionDisabled,
  codebuildPlaintextSecrets,
  codebuildProjectEncryptionKey,
  codecommitRepositoryKey,
  codepipelineArtifactStoreKey,
  dynamodbTableCustomerKey,
  kmsKeyEnabled,
  kmsKeyPolicyWildcardPrincipal,
  kmsKeyRotation,
  logGroupKmsKey,
  s3BucketKeyEnabled,
  s3BucketSseKms,
  s3PublicAccessBlock,
  s3TlsOnlyPolicy,
  secretsmanagerSecretCustomerKey,
  snsTopicCustomerKey,
  ssmParameterSecureString,
  terraformBackendEncrypted,
];
