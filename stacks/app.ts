/**
 * Build the CDKTF app for a configuration and write it out exactly as `cdktf synth` does
 * (`<outdir>/manifest.json` and `<outdir>/stacks/<stack>/cdk.tf.json`), without cdktf-cli.
 */
import { App } from 'cdktf';
import type { GantryConfig } from './config/schema';
import { ApplicationStack } from './application-stack';
import { BootstrapStack } from './bootstrap-stack';
import { InfrastructurePipelineStack, infrastructureStackName } from './infrastructure-pipeline-stack';
import { applicationStackName, bootstrapStackName } from './lib/naming';

export interface GantryApp {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly applications: ApplicationStack[];
  /** Gantry's own infrastructure pipeline, when `infrastructure` is configured. */
  readonly infrastructure?: InfrastructurePipelineStack;
}

/** Instantiate every stack of `config` (validated) in a new app writing to `outdir`. */
export function buildApp(config: GantryConfig, outdir: string): GantryApp {
  const app = new App({ outdir, skipValidation: false });
  const bootstrap = new BootstrapStack(app, bootstrapStackName(config), config);
  const applications = config.applications.map((a) => new ApplicationStack(app, applicationStackName(config, a), config, a));
  const infrastructure = config.infrastructure ? new InfrastructurePipelineStack(app, infrastructureStackName(config), config, config.infrastructure) : undefined;
  return { app, bootstrap, applications, infrastructure };
}

/** Synthesize `config` (validated) into `outdir`; returns the stack names written. */
export function synthesize(config: GantryConfig, outdir: string): string[] {
  const { app, bootstrap, applications, infrastructure } = buildApp(config, outdir);
  app.synth();
  return [bootstrap, ...applications, ...(infrastructure ? [infrastructure] : [])].map((s) => s.node.id);
}
