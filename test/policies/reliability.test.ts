import { broken, run, wellBuilt } from './encryption-fixtures';

describe('reliability/s3-bucket-versioning', () => {
  const id = 'reliability/s3-bucket-versioning';
  test('Noncompliance 1: the artifact store bucket without versioning → medium', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_s3_bucket_versioning));
    expect(r.map((x) => [x.address, x.detail, x.sev])).toEqual([['aws_s3_bucket.artifacts', 'artifacts', 'medium']]);
    expect(r[0].message).toMatch(/artifact store of aws_codepipeline\.pipeline/);
  });
  test('Noncompliance 2: the backend state bucket with versioning Suspended → high', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_s3_bucket.state = { bucket: 'gantry-state' };
        tf.resource.aws_s3_bucket_versioning.state = { bucket: 'gantry-state', versioning_configuration: { status: 'Suspended' } };
      }),
    );
    expect(r.map((x) => [x.address, x.detail, x.sev])).toEqual([['aws_s3_bucket.state', 'state', 'high']]);
    expect(r[0].message).toMatch(/Suspended/);
  });
  test('Noncompliance 3: a bucket named for state, legacy versioning block disabled', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_s3_bucket.tfstate = { bucket: 'team-tfstate', versioning: { enabled: false } })));
    expect(r.map((x) => [x.address, x.sev])).toEqual([['aws_s3_bucket.tfstate', 'high']]);
  });
  test('Compliance: legacy versioning block enabled; buckets with no artifact/state role are not judged', () => {
    const r = run(
      id,
      broken((tf) => {
        delete tf.resource.aws_s3_bucket_versioning;
        tf.resource.aws_s3_bucket.artifacts.versioning = { enabled: true };
        tf.resource.aws_s3_bucket.website = { bucket: 'gantry-docs-site' };
      }),
    );
    expect(r).toEqual([]);
  });
  test('a status known only after apply is not a failure', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_s3_bucket_versioning.artifacts.versioning_configuration.status = '${var.versioning}')))).toEqual([]);
  });
});

describe('reliability/dynamodb-lock-table-protection', () => {
  const id = 'reliability/dynamodb-lock-table-protection';
  test('Noncompliance: a LockID table without PITR and deletion protection → one finding each', () => {
    const r = run(
      id,
      broken((tf) => {
        delete tf.resource.aws_dynamodb_table.locks.point_in_time_recovery;
        tf.resource.aws_dynamodb_table.locks.deletion_protection_enabled = false;
      }),
    );
    expect(r.map((x) => [x.detail, x.sev])).toEqual([
      ['point_in_time_recovery', 'medium'],
      ['deletion_protection_enabled', 'medium'],
    ]);
  });
  test('Noncompliance: the table the backend names, whatever its hash key', () => {
    const r = run(id, broken((tf) => Object.assign(tf.resource.aws_dynamodb_table.locks, { hash_key: 'pk', attribute: [{ name: 'pk', type: 'S' }], deletion_protection_enabled: false })));
    expect(r.map((x) => x.detail)).toEqual(['deletion_protection_enabled']);
  });
  test('Compliance: ordinary tables are not lock tables', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_dynamodb_table.releases = { name: 'releases', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] })))).toEqual([]);
  });
});

describe('reliability/log-group-retention', () => {
  const id = 'reliability/log-group-retention';
  test('Noncompliance: retention absent or 0 (never expire)', () => {
    expect(run(id, broken((tf) => delete tf.resource.aws_cloudwatch_log_group.build.retention_in_days)).map((x) => [x.address, x.sev])).toEqual([['aws_cloudwatch_log_group.build', 'low']]);
    expect(run(id, broken((tf) => (tf.resource.aws_cloudwatch_log_group.build.retention_in_days = 0)))).toHaveLength(1);
  });
  test('Compliance: a variable is not known yet, not missing', () => {
    expect(run(id, broken((tf) => (tf.resource.aws_cloudwatch_log_group.build.retention_in_days = '${var.retention}')))).toEqual([]);
  });
});

describe('reliability/codedeploy-auto-rollback', () => {
  const id = 'reliability/codedeploy-auto-rollback';
  test('Noncompliance 1: no auto_rollback_configuration → high', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_codedeploy_deployment_group.prod.auto_rollback_configuration));
    expect(r.map((x) => [x.detail, x.sev])).toContainEqual(['DEPLOYMENT_FAILURE', 'high']);
  });
  test('Noncompliance 2: enabled but only on alarm → missing DEPLOYMENT_FAILURE', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_codedeploy_deployment_group.prod.auto_rollback_configuration.events = ['DEPLOYMENT_STOP_ON_ALARM'])));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['DEPLOYMENT_FAILURE', 'high']]);
  });
  test('Noncompliance 3: alarms watch but do not roll back → medium', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_codedeploy_deployment_group.prod.auto_rollback_configuration.events = ['DEPLOYMENT_FAILURE'])));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['DEPLOYMENT_STOP_ON_ALARM', 'medium']]);
  });
  test('Compliance: rollback on failure with no alarms configured', () => {
    const r = run(
      id,
      broken((tf) => {
        delete tf.resource.aws_codedeploy_deployment_group.prod.alarm_configuration;
        tf.resource.aws_codedeploy_deployment_group.prod.auto_rollback_configuration.events = ['DEPLOYMENT_FAILURE'];
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('reliability/pipeline-prod-manual-approval', () => {
  const id = 'reliability/pipeline-prod-manual-approval';
  const stages = (tf: Record<string, any>) => tf.resource.aws_codepipeline.pipeline.stage as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  test('Noncompliance 1: the approval stage removed; prod is known from the deployment group it targets', () => {
    const r = run(id, broken((tf) => stages(tf).splice(2, 1)));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['Release/Deploy', 'high']]);
    expect(r[0].message).toMatch(/deployment_group_name "prod"/);
  });
  test('Noncompliance 2: the approval comes after the deploy (same stage, later run_order)', () => {
    const r = run(
      id,
      broken((tf) => {
        const [approve] = stages(tf).splice(2, 1);
        const release = stages(tf)[2];
        release.action[0].run_order = 1;
        release.action.push({ ...approve.action[0], run_order: 2 });
      }),
    );
    expect(r.map((x) => x.detail)).toEqual(['Release/Deploy']);
  });
  test('Noncompliance 3: a CodeBuild "terraform apply" stage named Production', () => {
    const r = run(
      id,
      broken((tf) => {
        stages(tf).splice(2, 2, { name: 'Production', action: [{ name: 'TerraformApply', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', input_artifacts: ['out'], configuration: { ProjectName: 'apply' } }] });
      }),
    );
    expect(r.map((x) => x.detail)).toEqual(['Production/TerraformApply']);
  });
  test('Compliance: approval in the same stage with a lower run_order; staging deploys need none', () => {
    const r = run(
      id,
      broken((tf) => {
        const [approve] = stages(tf).splice(2, 1);
        const release = stages(tf)[2];
        release.action[0].run_order = 2;
        release.action.unshift({ ...approve.action[0], run_order: 1 });
        stages(tf).splice(2, 0, {
          name: 'Staging',
          action: [{ name: 'Deploy', category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1', configuration: { ApplicationName: 'app', DeploymentGroupName: 'staging' } }],
        });
      }),
    );
    expect(r).toEqual([]);
  });
  test('preprod is not prod', () => {
    const r = run(
      id,
      broken((tf) => {
        stages(tf).splice(2, 2, { name: 'PreProd', action: [{ name: 'Deploy', category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1', configuration: { ApplicationName: 'app', DeploymentGroupName: 'preprod' } }] });
      }),
    );
    expect(r).toEqual([]);
  });
});

describe('reliability/pipeline-source-polling', () => {
  const id = 'reliability/pipeline-source-polling';
  const source = (tf: Record<string, any>) => tf.resource.aws_codepipeline.pipeline.stage[0].action[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
  test('Noncompliance 1: CodeCommit with PollForSourceChanges absent (defaults to true)', () => {
    const r = run(id, broken((tf) => delete source(tf).configuration.PollForSourceChanges));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['Source/Source', 'medium']]);
    expect(r[0].message).toMatch(/absent and defaults to true/);
  });
  test('Noncompliance 2: an S3 source with PollForSourceChanges "true"; GitHub version 1', () => {
    const r = run(
      id,
      broken((tf) => {
        Object.assign(source(tf), { provider: 'S3', configuration: { S3Bucket: 'gantry-artifacts', S3ObjectKey: 'src.zip', PollForSourceChanges: 'true' } });
        tf.resource.aws_codepipeline.pipeline.stage[0].action.push({ name: 'Docs', category: 'Source', owner: 'ThirdParty', provider: 'GitHub', version: '1', output_artifacts: ['docs'], configuration: { Owner: 'o', Repo: 'r', Branch: 'main' } });
      }),
    );
    expect(r.map((x) => x.detail)).toEqual(['Source/Source', 'Source/Docs']);
  });
  test('Compliance: event-based CodeCommit, and CodeStar connections (no polling at all)', () => {
    expect(run(id, wellBuilt())).toEqual([]);
    const r = run(id, broken((tf) => Object.assign(source(tf), { provider: 'CodeStarSourceConnection', configuration: { ConnectionArn: 'arn:aws:codestar-connections:eu-west-1:123456789012:connection/x', FullRepositoryId: 'o/r', BranchName: 'main' } })));
    expect(r).toEqual([]);
  });
});

describe('reliability/codecommit-approval-rule-template', () => {
  const id = 'reliability/codecommit-approval-rule-template';
  const content = (n: number) => JSON.stringify({ Version: '2018-11-08', DestinationReferences: ['refs/heads/main'], Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: n }] });
  test('Noncompliance 1: no template associated', () => {
    const r = run(id, broken((tf) => delete tf.resource.aws_codecommit_approval_rule_template_association));
    expect(r.map((x) => [x.address, x.detail, x.sev])).toEqual([['aws_codecommit_repository.app', 'no-template', 'medium']]);
  });
  test('Noncompliance 2: the associated template needs one approval', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_codecommit_approval_rule_template.two.content = content(1))));
    expect(r.map((x) => x.message)).toEqual([expect.stringMatching(/at most 1 approval \(fewer than 2\)/)]);
  });
  test('Noncompliance 3: a template for another repository does not count', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_codecommit_repository.other = { repository_name: 'other' };
        tf.resource.aws_codecommit_approval_rule_template_association.app.repository_name = 'other';
      }),
    );
    expect(r.map((x) => x.address)).toEqual(['aws_codecommit_repository.app']);
  });
  test('info, not a pass, when the template content is not literal JSON', () => {
    const r = run(id, broken((tf) => (tf.resource.aws_codecommit_approval_rule_template.two.content = '${jsonencode(local.rules)}')));
    expect(r.map((x) => [x.detail, x.sev])).toEqual([['unreadable', 'info']]);
  });
  test('Compliance: association by literal names, three approvals', () => {
    const r = run(
      id,
      broken((tf) => {
        tf.resource.aws_codecommit_approval_rule_template.two.content = content(3);
        tf.resource.aws_codecommit_approval_rule_template_association.app = { approval_rule_template_name: 'two-approvals', repository_name: 'app' };
      }),
    );
    expect(r).toEqual([]);
  });
});
