/** Seed builders for the e2e endpoint: users with passwords, keys, MFA devices and paths; groups with inline policies. */
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { UserStatus } from '../../../src/audit/types.js';
import { runCli } from './cli.js';

export const GUARD_GROUP = 'ForceMfaAccess';
export const TEST_PASSWORD = 'E2e-test-password-1!';
/** An inline policy that allows everything: with MFA enrolled but no guard, the user is enrolled-not-enforced. */
export const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } as const;

export interface UserSeed {
  readonly name: string;
  /** IAM path, `/` by default. */
  readonly path?: string;
  /** A console password (login profile). */
  readonly password?: boolean;
  /** How many access keys to create (0 by default). */
  readonly accessKeys?: number;
  /** Enable a virtual MFA device. */
  readonly mfa?: boolean;
  readonly groups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Inline policies by name. */
  readonly inlinePolicies?: Readonly<Record<string, unknown>>;
  /** Managed policy ARNs to attach (AWS managed ones exist in the e2e moto). */
  readonly managedPolicies?: readonly string[];
}

export interface SeededUser {
  readonly userName: string;
  readonly arn: string;
  /** The virtual device's serial, when `mfa` was asked for. */
  readonly mfaSerial?: string;
  readonly accessKeys: readonly { readonly accessKeyId: string; readonly secretAccessKey: string }[];
}

/** Enables a virtual MFA device for `userName` and returns its serial (moto accepts any two codes). */
export async function enableVirtualMfa(iam: IAMClient, userName: string): Promise<string> {
  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }));
  const serial = device.VirtualMFADevice?.SerialNumber;
  if (serial === undefined) throw new Error(`CreateVirtualMFADevice for ${userName} answered without a serial`);
  await iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  return serial;
}

/** Creates one user with what `seed` asks for; the groups must exist. */
export async function seedUser(iam: IAMClient, seed: UserSeed): Promise<SeededUser> {
  const tags = Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const created = await iam.send(new CreateUserCommand({ UserName: seed.name, Path: seed.path ?? '/', ...(tags.length > 0 ? { Tags: tags } : {}) }));
  if (seed.password === true) await iam.send(new CreateLoginProfileCommand({ UserName: seed.name, Password: TEST_PASSWORD }));
  const accessKeys: { accessKeyId: string; secretAccessKey: string }[] = [];
  for (let index = 0; index < (seed.accessKeys ?? 0); index += 1) {
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: seed.name }))).AccessKey;
    if (key?.AccessKeyId === undefined || key.SecretAccessKey === undefined) throw new Error(`CreateAccessKey for ${seed.name} answered without a key`);
    accessKeys.push({ accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
  }
  for (const group of seed.groups ?? []) await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: seed.name }));
  for (const [name, document] of Object.entries(seed.inlinePolicies ?? {})) {
    await iam.send(new PutUserPolicyCommand({ UserName: seed.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
  }
  for (const arn of seed.managedPolicies ?? []) await iam.send(new AttachUserPolicyCommand({ UserName: seed.name, PolicyArn: arn }));
  const mfaSerial = seed.mfa === true ? await enableVirtualMfa(iam, seed.name) : undefined;
  const arn = created.User?.Arn;
  if (arn === undefined) throw new Error(`CreateUser ${seed.name} answered without an ARN`);
  return { userName: seed.name, arn, accessKeys, ...(mfaSerial === undefined ? {} : { mfaSerial }) };
}

/** Creates a group with inline policies (documents as objects or JSON text). */
export async function seedGroup(iam: IAMClient, name: string, inlinePolicies: Readonly<Record<string, unknown>> = {}): Promise<void> {
  await iam.send(new CreateGroupCommand({ GroupName: name }));
  for (const [policyName, document] of Object.entries(inlinePolicies)) {
    const text = typeof document === 'string' ? document : JSON.stringify(document);
    await iam.send(new PutGroupPolicyCommand({ GroupName: name, PolicyName: policyName, PolicyDocument: text }));
  }
}

let guardPolicyText: Promise<string> | undefined;

/** The recommended guard policy, as `force-mfa template --format policy` prints it (run once per test file). */
export function guardPolicy(): Promise<string> {
  guardPolicyText ??= runCli(['template', '--format', 'policy']).then((result) => {
    if (result.code !== 0) throw new Error(`template --format policy exited ${String(result.code)}: ${result.stderr}`);
    return result.stdout;
  });
  return guardPolicyText;
}

/** The guard group `ForceMfaAccess` (or `name`) with the recommended policy inline. */
export async function seedGuardGroup(iam: IAMClient, name = GUARD_GROUP): Promise<void> {
  await seedGroup(iam, name, { ForceMfaAccess: await guardPolicy() });
}

/** What makes a user land in each status the endpoint can produce (`unknown` needs missing data, see the fault tests). */
export function seedForStatus(status: Exclude<UserStatus, 'unknown'>, name: string, path = '/', group = GUARD_GROUP): UserSeed {
  switch (status) {
    case 'protected':
      return { name, path, password: true, mfa: true, groups: [group] };
    case 'pending-enrollment':
      return { name, path, password: true, groups: [group] };
    case 'enrolled-not-enforced':
      return { name, path, password: true, mfa: true, inlinePolicies: { AdminLike: ALLOW_ALL } };
    case 'unprotected':
      return { name, path, password: true };
    case 'unprotected-programmatic':
      return { name, path, accessKeys: 1 };
    case 'no-credentials':
      return { name, path };
    case 'exempt':
      return { name, path, password: true, tags: { 'force-mfa:exempt': 'true' } };
  }
}
