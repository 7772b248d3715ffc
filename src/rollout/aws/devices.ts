/** DeviceIam over the AWS SDK v3: every page of ListVirtualMFADevices read, calls retried on throttling. */
import { DeleteVirtualMFADeviceCommand } from '@aws-sdk/client-iam';
import { listVirtualMfaDevices, type IamReader, type IamSender } from '../../account/aws/iam-reads.js';
import { CallPacer, DEFAULT_RETRY, isAccessDenied, isTransientAwsError, withRetry } from '../../account/aws/retry.js';
import { environmentError } from '../../errors.js';
import type { DeviceIam } from '../devices-cleanup.js';

export function sdkDeviceIam(client: IamSender): DeviceIam {
  const reader: IamReader = { client, retry: { ...DEFAULT_RETRY, pacer: new CallPacer(1) } };
  return {
    async listVirtualDevices(assignment) {
      try {
        return await listVirtualMfaDevices(reader, assignment);
      } catch (error) {
        if (isAccessDenied(error)) {
          throw environmentError('devices-list-denied', 'AWS denied iam:ListVirtualMFADevices, which the cleanup needs to find unassigned devices: use credentials that allow it', error);
        }
        throw error;
      }
    },
    async deleteVirtualDevice(serialNumber) {
      // Retried on throttling only: a call that timed out may have been applied, and the caller's re-read settles it.
      await withRetry(() => client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber })), { ...reader.retry, isRetryable: isTransientAwsError });
    },
  };
}
