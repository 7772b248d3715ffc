/** force-mfa/cdk: the guard as a CDK construct, and a cdk-nag pack of force-mfa's lint rules. Its own entry point, so the force-mfa command never loads aws-cdk-lib. */
export { ForceMfaGroup, type ForceMfaGroupProps } from './force-mfa-group.js';
export type { GuardDefinition } from '../policy/guard.js';
export type { GuardOptions, GuardProfileName, Partition, SelfServiceCredential } from '../policy/options.js';
export { ForceMfaAutoEnroll, IAM_EVENT_REGIONS, type AutoEnrollProps, type ForceMfaAutoEnrollProps } from './auto-enroll.js';
export { ForceMfaChecks, FORCE_MFA_PACK_NAME, type ForceMfaChecksProps } from './checks.js';
