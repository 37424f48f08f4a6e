/** Names Gantry derives from the configuration, in one place so stacks, tests and docs agree. */
import type { ApplicationConfig, GantryConfig } from '../config/schema';

export const bootstrapStackName = (c: Pick<GantryConfig, 'prefix'>) => `${c.prefix}-bootstrap`;
export const applicationStackName = (c: Pick<GantryConfig, 'prefix'>, app: Pick<ApplicationConfig, 'name'>) => `${c.prefix}-${app.name}`;
/** The S3 key of an application stack's state. */
export const stateKey = (c: Pick<GantryConfig, 'prefix'>, app: Pick<ApplicationConfig, 'name'>) => `${c.prefix}/${app.name}/terraform.tfstate`;
/** The alias of the state key; the S3 backend encrypts state objects with it. */
export const stateKeyAlias = (c: Pick<GantryConfig, 'prefix'>) => `${c.prefix}-terraform-state`;
/** The S3 key of the bootstrap stack's own state once migrated into the bucket. */
export const bootstrapStateKey = (c: Pick<GantryConfig, 'prefix'>) => `${c.prefix}/bootstrap/terraform.tfstate`;
