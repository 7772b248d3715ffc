/** Centralized root access of the organization: iam:ListOrganizationsFeatures from the management account. */
import { ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import type { IamSender } from '../account/aws/iam-reads.js';
import { errorName, isAccessDenied } from '../account/aws/retry.js';
import { CENTRALIZED_ROOT_ACCESS_UNKNOWN, type CentralizedRootAccess } from './root.js';
import { failureReason } from './runner.js';

/** Without IAM's trusted access, or without all features, centralized root access cannot be enabled at all. */
const CANNOT_BE_ENABLED = new Set(['ServiceAccessNotEnabledException', 'OrganizationNotInAllFeaturesModeException']);

/** The enabled features, or unknown with the reason: a denied or failed read is never "not enabled". */
export async function readCentralizedRootAccess(iam: IamSender, signal?: AbortSignal): Promise<CentralizedRootAccess> {
  try {
    const answer = await iam.send(new ListOrganizationsFeaturesCommand({}), signal === undefined ? {} : { abortSignal: signal });
    if (!Array.isArray(answer?.EnabledFeatures)) return CENTRALIZED_ROOT_ACCESS_UNKNOWN('iam:ListOrganizationsFeatures answered without EnabledFeatures');
    const features = answer.EnabledFeatures as readonly string[];
    return { rootCredentialsManagement: features.includes('RootCredentialsManagement'), rootSessions: features.includes('RootSessions'), reason: null };
  } catch (error) {
    const name = errorName(error);
    if (CANNOT_BE_ENABLED.has(name)) return { rootCredentialsManagement: false, rootSessions: false, reason: null };
    if (isAccessDenied(error)) return CENTRALIZED_ROOT_ACCESS_UNKNOWN('access denied (iam:ListOrganizationsFeatures)');
    return CENTRALIZED_ROOT_ACCESS_UNKNOWN(`iam:ListOrganizationsFeatures failed: ${failureReason(error)}`);
  }
}
