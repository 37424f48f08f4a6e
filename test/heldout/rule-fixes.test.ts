/** Red-team regressions in encryption/reliability/quota rules found by the held-out configs. */
import { modelOf } from '../support/model';
import { ctxFor } from '../support/context';
import { RELIABILITY_RULES } from '../../policies/reliability';

const versioning = RELIABILITY_RULES.find((r) => r.id === 'reliability/s3-bucket-versioning')!;

describe('reliability/s3-bucket-versioning: a bucket named literally (as in a plan, where the name is already known)', () => {
  const tf = (location: string) => ({
    resource: {
      aws_s3_bucket: { store: { bucket: 'acme-release-store' } },
      aws_codepipeline: { p: { name: 'p', role_arn: 'arn:aws:iam::123456789012:role/p', artifact_store: [{ location, type: 'S3' }], stage: [] } },
      aws_codebuild_project: {
        b: { name: 'b', service_role: 'arn:aws:iam::123456789012:role/b', artifacts: [{ type: 'S3', location: 'acme-build-output' }], environment: [], source: [] },
      },
    },
  });
  it('is judged as the artifact store of the pipeline that names it', () => {
    const found = versioning.check(modelOf(tf('acme-release-store')), ctxFor());
    expect(found.map((f) => `${f.node.address} ${f.message}`)).toEqual([expect.stringMatching(/^aws_s3_bucket\.store .*artifact store of aws_codepipeline\.p/)]);
  });
  it('a bucket no pipeline or project names (and whose name says nothing) is not judged', () => {
    expect(versioning.check(modelOf(tf('some-other-bucket')), ctxFor())).toEqual([]);
  });
  it('is judged as a CodeBuild artifacts location named literally', () => {
    const t = tf('x') as any;
    t.resource.aws_s3_bucket = { out: { bucket: 'acme-build-output' } };
    expect(versioning.check(modelOf(t), ctxFor()).map((f) => f.message)).toEqual([expect.stringMatching(/build artifacts of aws_codebuild_project\.b/)]);
  });
});
