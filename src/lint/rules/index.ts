/** Every lint rule, in registry order. */
import type { LintRule } from '../rule.js';
import { bootstrapNotOwnUser } from './bootstrap-not-own-user.js';
import { changePasswordNotExempt } from './change-password-not-exempt.js';
import { deviceNameScoped } from './device-name-scoped.js';
import { enrollmentWithAccessKeys } from './enrollment-with-access-keys.js';
import { malformedPolicy } from './malformed-policy.js';
import { mfaDenyWithoutIfExists } from './mfa-deny-without-ifexists.js';
import { mfaRemovalWithoutMfa } from './mfa-removal-without-mfa.js';
import { noMfaDeny } from './no-mfa-deny.js';
import { noPolicyFound } from './no-policy-found.js';
import { openWithoutMfa } from './open-without-mfa.js';
import { policyTooLarge } from './policy-too-large.js';
import { switchableMfaDeny } from './switchable-mfa-deny.js';
import { uncontrollableAction } from './uncontrollable-action.js';
import { unknownAction, wildcardMatchesNothing } from './unknown-action.js';
import { unresolvedValue } from './unresolved-value.js';
import { variablesWithoutVersion } from './variables-without-version.js';

export const LINT_RULES: readonly LintRule[] = [
  mfaDenyWithoutIfExists,
  deviceNameScoped,
  mfaRemovalWithoutMfa,
  bootstrapNotOwnUser,
  enrollmentWithAccessKeys,
  unknownAction,
  wildcardMatchesNothing,
  noMfaDeny,
  variablesWithoutVersion,
  changePasswordNotExempt,
  uncontrollableAction,
  policyTooLarge,
  malformedPolicy,
  unresolvedValue,
  switchableMfaDeny,
  noPolicyFound,
  openWithoutMfa,
];
