/** In-memory accounts for tests: `anAccount().withUsers(aUser('alice').withPassword().withMfa('virtual'))`. */
import type {
  AccessKey,
  AccountSnapshot,
  DataGap,
  DataSource,
  FactName,
  GapCause,
  IamGroup,
  IamUser,
  InlinePolicy,
  ManagedPolicy,
  MfaDeviceKind,
  PerAccountFact,
  RootAccountSummary,
  RootUser,
  UnassignedVirtualDevice,
} from '../../src/account/model.js';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { buildGuard } from '../../src/policy/guard.js';
import { SEED_POLICY } from '../../src/policy/seed.js';

export const ACCOUNT_ID = '123456789012';
/** The real action catalogue: an audit checks every action, not only the probes (loaded once per test file). */
export const CATALOGUE = await loadCatalogue();
export const COLLECTED_AT = '2025-03-01T12:00:00.000Z';

const SERIALS: Record<MfaDeviceKind, (user: string, index: number) => string> = {
  virtual: (user) => `arn:aws:iam::${ACCOUNT_ID}:mfa/${user}-phone`,
  hardware: (_user, index) => `GAHT1234567${index}`,
  fido: (user, index) => `arn:aws:iam::${ACCOUNT_ID}:u2f/user/${user}/key-${index}-ABCDEFGHIJKLMNOP`,
  sms: (user) => `arn:aws:iam::${ACCOUNT_ID}:sms-mfa/${user}`,
  unknown: (user) => `arn:aws:iam::${ACCOUNT_ID}:something/${user}`,
};

export class UserBuilder {
  private path = '/';
  private password: IamUser['consolePassword'] = { enabled: false, lastUsedAt: undefined, source: 'builder' };
  private mfa: IamUser['mfa'] = { enrolled: false, devices: [], source: 'builder' };
  private accessKeys: IamUser['accessKeys'] = { keys: [], source: 'builder' };
  private groups: string[] = [];
  private inline: InlinePolicy[] = [];
  private managed: string[] = [];
  private tags: Record<string, string> = {};
  private gaps: DataGap[] = [];
  private boundary: string | undefined;

  constructor(readonly name: string) {}

  withPath(path: string): this {
    this.path = path;
    return this;
  }
  withPassword(lastUsedAt?: string): this {
    this.password = { enabled: true, lastUsedAt, source: 'builder' };
    return this;
  }
  withMfa(...kinds: MfaDeviceKind[]): this {
    const devices = kinds.map((kind, index) => ({ serialNumber: SERIALS[kind](this.name, index), kind, enabledAt: COLLECTED_AT }));
    this.mfa = { enrolled: devices.length > 0, devices, source: 'builder' };
    return this;
  }
  /** MFA as the credential report says it: enrolled or not, kinds unknown. */
  withReportedMfa(enrolled: boolean): this {
    this.mfa = { enrolled, devices: undefined, source: 'credential-report' };
    return this;
  }
  withAccessKeys(count = 1, options: { active?: boolean; lastUsedAt?: string } = {}): this {
    const keys: AccessKey[] = Array.from({ length: count }, (_, index) => ({
      idSuffix: `AB${index}Z`,
      active: options.active ?? true,
      lastUsedAt: options.lastUsedAt,
      lastRotatedAt: COLLECTED_AT,
    }));
    this.accessKeys = { keys, source: 'builder' };
    return this;
  }
  inGroups(...groups: string[]): this {
    this.groups.push(...groups);
    return this;
  }
  withInlinePolicy(name: string, document: unknown): this {
    this.inline.push({ name, document });
    return this;
  }
  withManagedPolicy(arn: string): this {
    this.managed.push(arn);
    return this;
  }
  withBoundary(arn: string): this {
    this.boundary = arn;
    return this;
  }
  withTag(key: string, value: string): this {
    this.tags[key] = value;
    return this;
  }
  /** Make a fact unknown, with the gap that explains it. */
  withUnknown(fact: Extract<FactName, 'password' | 'mfa' | 'access-keys'>, cause: GapCause = 'access-denied', detail?: string): this {
    if (fact === 'password') this.password = undefined;
    if (fact === 'mfa') this.mfa = undefined;
    if (fact === 'access-keys') this.accessKeys = undefined;
    this.gaps.push({ fact, cause, ...(detail === undefined ? {} : { detail }) });
    return this;
  }
  build(): IamUser {
    const path = this.path;
    return {
      userName: this.name,
      arn: `arn:aws:iam::${ACCOUNT_ID}:user${path}${this.name}`,
      path,
      userId: `AIDA${this.name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
      createdAt: '2024-01-01T00:00:00.000Z',
      tags: { ...this.tags },
      groupNames: [...this.groups],
      inlinePolicies: [...this.inline],
      attachedPolicyArns: [...this.managed],
      permissionsBoundaryArn: this.boundary,
      consolePassword: this.password,
      mfa: this.mfa,
      accessKeys: this.accessKeys,
      gaps: [...this.gaps],
    };
  }
}

export function aUser(name = 'alice'): UserBuilder {
  return new UserBuilder(name);
}

export class AccountBuilder {
  private users: UserBuilder[] = [];
  private groups: IamGroup[] = [];
  private managed: ManagedPolicy[] = [];
  private root: RootUser | undefined = {
    arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    mfaActive: true,
    accessKeysActive: false,
    passwordLastUsedAt: undefined,
  };
  private reportAt: string | undefined = COLLECTED_AT;
  private gaps: DataGap[] = [];
  /** None by default (read, empty); `undefined` leaves them unread. */
  private unassigned: PerAccountFact<readonly UnassignedVirtualDevice[]> | undefined = { value: [], capturedAt: COLLECTED_AT };
  private rootSummary: PerAccountFact<RootAccountSummary> | undefined;

  withUsers(...users: UserBuilder[]): this {
    this.users.push(...users);
    return this;
  }
  withGroup(groupName: string, policies: { inline?: Record<string, unknown>; managed?: string[] } = {}): this {
    this.groups.push({
      groupName,
      arn: `arn:aws:iam::${ACCOUNT_ID}:group/${groupName}`,
      path: '/',
      groupId: `AGPA${groupName.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      createdAt: '2024-01-01T00:00:00.000Z',
      inlinePolicies: Object.entries(policies.inline ?? {}).map(([name, document]) => ({ name, document })),
      attachedPolicyArns: [...(policies.managed ?? [])],
    });
    return this;
  }
  withManagedPolicy(arn: string, document: unknown): this {
    this.managed.push({ arn, name: arn.split('/').pop() ?? arn, defaultVersionId: 'v1', document });
    return this;
  }
  withRoot(root: Partial<RootUser> | undefined): this {
    this.root = root === undefined ? undefined : { ...(this.root as RootUser), ...root };
    return this;
  }
  withReportGeneratedAt(at: string | undefined): this {
    this.reportAt = at;
    return this;
  }
  /** Serials of unassigned virtual devices, or a gap, or undefined (not read at all). */
  withUnassignedDevices(devices: readonly UnassignedVirtualDevice[] | { gap: DataGap } | undefined): this {
    this.unassigned = devices === undefined ? undefined : 'gap' in devices ? devices : { value: devices, capturedAt: COLLECTED_AT };
    return this;
  }
  withRootSummary(summary: RootAccountSummary | { gap: DataGap }): this {
    this.rootSummary = 'gap' in summary ? summary : { value: summary, capturedAt: COLLECTED_AT };
    return this;
  }
  withAccountGap(gap: DataGap): this {
    this.gaps.push(gap);
    return this;
  }
  build(): AccountSnapshot {
    const sources: DataSource[] = [
      { kind: 'authorization-details', origin: 'memory', capturedAt: COLLECTED_AT },
      { kind: 'credential-report', origin: 'memory', capturedAt: this.reportAt },
    ];
    return {
      accountId: ACCOUNT_ID,
      alias: undefined,
      partition: 'aws',
      collectedAt: COLLECTED_AT,
      sources,
      users: this.users.map((user) => user.build()),
      groups: [...this.groups],
      managedPolicies: [...this.managed],
      root: this.root,
      gaps: [...this.gaps],
      ...(this.unassigned === undefined ? {} : { unassignedVirtualDevices: this.unassigned }),
      ...(this.rootSummary === undefined ? {} : { rootSummary: this.rootSummary }),
    };
  }
}

export function anAccount(): AccountBuilder {
  return new AccountBuilder();
}

export const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const ADMINISTRATOR_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
export const READ_ONLY_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*', 'iam:Get*', 'iam:List*'], Resource: '*' }],
};
export const SEED_DOCUMENT: unknown = SEED_POLICY;
export const RECOMMENDED_DOCUMENT: unknown = buildGuard().document;
/** The seed with `Bool` instead of `BoolIfExists`: console sessions without MFA are denied, access keys are not. */
export const BOOL_GUARD_DOCUMENT: unknown = JSON.parse(JSON.stringify(SEED_POLICY).replace('"BoolIfExists"', '"Bool"'));

/** An account with the usual groups: the recommended guard, the seed guard, a Bool guard, and admins. */
export function withStandardGroups(account: AccountBuilder): AccountBuilder {
  return account
    .withManagedPolicy(ADMIN_ARN, ADMINISTRATOR_ACCESS)
    .withManagedPolicy(READ_ONLY_ARN, READ_ONLY_ACCESS)
    .withGroup('ForceMfaAccess', { inline: { ForceMfaAccess: RECOMMENDED_DOCUMENT } })
    .withGroup('SeedForceMfa', { inline: { ForceMfaAccess: SEED_DOCUMENT } })
    .withGroup('BoolGuard', { inline: { ForceMfaAccess: BOOL_GUARD_DOCUMENT } })
    .withGroup('Admins', { managed: [ADMIN_ARN] })
    .withGroup('Readers', { managed: [READ_ONLY_ARN] });
}
