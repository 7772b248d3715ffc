/** Which MFA device can start a CLI session: TOTP devices can, FIDO security keys and passkeys cannot (pure). */
import { inputError } from '../errors.js';

export type MfaDeviceKind = 'virtual' | 'hardware' | 'fido' | 'sms';

/** Serial numbers as IAM lists them: `arn:...:mfa/NAME` virtual, `arn:...:u2f/...` FIDO, `arn:...:sms-mfa/...` SMS, else hardware. */
export function deviceKind(serial: string): MfaDeviceKind {
  if (serial.includes(':u2f/')) return 'fido';
  if (serial.includes(':sms-mfa/')) return 'sms';
  if (/^arn:[^:]+:iam::\d*:mfa\//.test(serial)) return 'virtual';
  return 'hardware';
}

const SERIAL_SYNTAX = /^[\w+=/:,.@-]{9,256}$/;

/** A serial STS can take with a TOTP code; an error that says what to do for anything else. */
export function checkUsableSerial(serial: string): string {
  const kind = deviceKind(serial);
  if (kind === 'fido') throw fidoError([serial]);
  if (kind === 'sms') {
    throw inputError('session.device-sms', `MFA device ${serial} is a legacy SMS device, which STS no longer accepts: register a virtual or hardware TOTP device`);
  }
  if (!SERIAL_SYNTAX.test(serial)) {
    throw inputError('session.serial-invalid', `'${serial}' is not an MFA serial number: use the device's ARN (arn:aws:iam::123456789012:mfa/NAME) or a hardware token's serial`);
  }
  return serial;
}

function fidoError(serials: readonly string[]): Error {
  return inputError(
    'session.device-fido-only',
    `${serials.length === 1 ? `MFA device ${serials[0]} is a FIDO security key or passkey` : `MFA devices ${serials.join(', ')} are FIDO security keys or passkeys`}: ` +
      'the STS API (GetSessionToken, AssumeRole) accepts only six-digit TOTP codes, so they cannot start a CLI session; ' +
      'register a virtual (authenticator app) or hardware TOTP device for CLI use (a user may have up to eight devices)',
  );
}

export type DevicePick = { readonly kind: 'one'; readonly serial: string } | { readonly kind: 'several'; readonly serials: readonly string[] };

/** The TOTP device among a user's listed devices, or the several to choose from; errors for none or FIDO only. */
export function pickListedDevice(serials: readonly string[], userLabel: string): DevicePick {
  const usable = serials.filter((serial) => deviceKind(serial) === 'virtual' || deviceKind(serial) === 'hardware');
  const fido = serials.filter((serial) => deviceKind(serial) === 'fido');
  const [only] = usable;
  if (only !== undefined && usable.length === 1) return { kind: 'one', serial: only };
  if (usable.length > 1) return { kind: 'several', serials: usable };
  if (fido.length > 0) throw fidoError(fido);
  throw inputError(
    'session.no-device',
    `${userLabel} has no MFA device that gives codes: assign a virtual or hardware TOTP device (IAM console, Security credentials), ` +
      'or set mfa_serial in the profile of the config file',
  );
}

/** Six digits, nothing else: checked before any call to AWS. */
export function checkTokenCode(code: string): string {
  const trimmed = code.trim();
  if (!/^\d{6}$/.test(trimmed)) {
    throw inputError('session.code-invalid', 'the MFA code must be exactly six digits, as your authenticator app or token shows it');
  }
  return trimmed;
}
