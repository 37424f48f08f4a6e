import type { Rule } from '../rule';
import { rule as adminStar } from './admin-star';
import { rule as serviceWildcard } from './service-wildcard';
import { rule as permissionsManagementOnStar } from './permissions-management-on-star';
import { rule as writeOnStar } from './write-on-star';
import { rule as dataExfiltrationOnStar } from './data-exfiltration-on-star';
import { rule as credentialsExposureOnStar } from './credentials-exposure-on-star';
import { rule as resourceStar } from './resource-star';
import { rule as privilegeEscalation } from './privilege-escalation';
import { rule as passroleUnrestricted } from './passrole-unrestricted';
import { rule as awsManagedAdminPolicy } from './aws-managed-admin-policy';
import { rule as trustAnyPrincipal } from './trust-any-principal';
import { rule as trustWholeAccount } from './trust-whole-account';
import { rule as trustServiceConfusedDeputy } from './trust-service-confused-deputy';
import { rule as allowNotAction } from './allow-not-action';
import { rule as unknownAction } from './unknown-action';
import { rule as resourceTypeMismatch } from './resource-type-mismatch';
import { rule as unresolvedPolicy } from './unresolved-policy';
import { rule as principalSummary } from './principal-summary';

/** Every iam rule, one per file in this folder. */
export const IAM_RULES: readonly Rule[] = [
  adminStar,
  serviceWildcard,
  permissionsManagementOnStar,
  writeOnStar,
  dataExfiltrationOnStar,
  credentialsExposureOnStar,
  resourceStar,
  privilegeEscalation,
  passroleUnrestricted,
  awsManagedAdminPolicy,
  trustAnyPrincipal,
  trustWholeAccount,
  trustServiceConfusedDeputy,
  allowNotAction,
  unknownAction,
  resourceTypeMismatch,
  unresolvedPolicy,
  principalSummary,
];
