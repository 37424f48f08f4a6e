/** Done-when: the tutorial's example stack with its usage prices at a few dollars a month. */
import * as fs from 'fs';
import * as path from 'path';
import { estimateCost } from '../../auditor/pricing';
import { modelOf } from '../support/model';

const fixture = path.join(__dirname, '../fixtures/tutorial/tutorial-stack.tf.json');
const usage = path.join(__dirname, '../fixtures/usage/tutorial.yml');
const model = () => modelOf(JSON.parse(fs.readFileSync(fixture, 'utf8')), 'tutorial');

describe('the tutorial example stack', () => {
  it('prices at a few dollars a month with CodeBuild and CodePipeline rows of their own', async () => {
    const warnings: string[] = [];
    const r = await estimateCost(model(), { live: false, freeTier: true, usage, warn: (m) => warnings.push(m) });
    expect(r.monthlyTotal).toBeGreaterThan(1);
    expect(r.monthlyTotal).toBeLessThan(15);
    const build = r.resources.find((x) => x.type === 'aws_codebuild_project')!;
    // 500 minutes − 100 free general1.small minutes = 400 × $0.005
    expect(build.monthly).toBeCloseTo(2, 6);
    expect(build.components[0]).toMatchObject({ quantity: 500, freeQuantity: 100, unitPrice: 0.005 });
    const pipeline = r.resources.find((x) => x.type === 'aws_codepipeline')!;
    expect(pipeline.components[0]).toMatchObject({ name: 'Active pipeline (V1)', quantity: 1, unitPrice: 1, freeQuantity: 1, monthly: 0 });
    expect(r.resources.map((x) => x.type).sort()).toEqual([
      'aws_cloudwatch_metric_alarm', 'aws_codebuild_project', 'aws_codecommit_repository', 'aws_codedeploy_deployment_group',
      'aws_codepipeline', 'aws_s3_bucket', 'aws_sns_topic',
    ]);
    expect(r.unsupported).toEqual([]);
    expect(r.free!.map((f) => f.type)).toEqual(expect.arrayContaining(['aws_iam_role', 'aws_codedeploy_app', 'aws_sns_topic_subscription', 'aws_codecommit_approval_rule_template']));
    const sns = r.resources.find((x) => x.type === 'aws_sns_topic')!;
    expect(sns.components.map((c) => c.name)).toEqual(['Publish requests', 'E-mail deliveries (1 subscription)']);
    expect(warnings).toEqual([]);
  });

  it('costs more without the free tier, by exactly what the free tier saved', async () => {
    const withFree = await estimateCost(model(), { live: false, freeTier: true, usage, warn: () => undefined });
    const without = await estimateCost(model(), { live: false, freeTier: false, usage, warn: () => undefined });
    const saved = withFree.freeTier!.offers.reduce((s, o) => s + o.savings, 0);
    expect(without.monthlyTotal).toBeCloseTo(withFree.monthlyTotal + saved, 6);
    // CodeBuild 2.50 + pipeline 1 + 5 CodeCommit users 5 + alarm 0.10 + the rest
    expect(without.monthlyTotal).toBeGreaterThan(8.6);
    expect(without.monthlyTotal).toBeLessThan(15);
  });

  it('sources and dates every price row it used', async () => {
    const r = await estimateCost(model(), { live: false, freeTier: true, usage, warn: () => undefined });
    for (const res of r.resources) {
      for (const c of res.components) {
        const price = r.prices[res.region][c.priceId];
        expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
        expect(price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.priceSource).toBe('snapshot');
        expect(price.description).toBeTruthy();
      }
    }
    // Only the rows some component used.
    const used = new Set(r.resources.flatMap((x) => x.components.map((c) => `${x.region}/${c.priceId}`)));
    expect(Object.entries(r.prices).flatMap(([region, ids]) => Object.keys(ids).map((id) => `${region}/${id}`)).sort()).toEqual([...used].sort());
    expect(r.pricing).toMatchObject({ source: 'snapshot', region: 'us-east-1' });
  });
});
