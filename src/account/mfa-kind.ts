/** The kind of an MFA device, read from its serial number (the only place IAM says it). */
import type { MfaDeviceKind } from './model.js';

/**
 * `arn:…:mfa/NAME` is a virtual device, `arn:…:u2f/…` a FIDO security key or passkey, `arn:…:sms-mfa/…` legacy SMS,
 * and a serial that is not an ARN (e.g. `GAHT12345678`) a hardware TOTP token. Anything else is `unknown`.
 */
export function mfaDeviceKind(serialNumber: string): MfaDeviceKind {
  const serial = serialNumber.trim();
  if (serial === '') return 'unknown';
  if (!serial.startsWith('arn:')) return 'hardware';
  const resource = serial.split(':').slice(5).join(':');
  if (resource.startsWith('mfa/')) return 'virtual';
  if (resource.startsWith('u2f/')) return 'fido';
  if (resource.startsWith('sms-mfa/')) return 'sms';
  return 'unknown';
}
