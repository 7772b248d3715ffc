/** Account findings: root and administrators without MFA, device kinds, an old or missing credential report. */
import type { AccountSnapshot, DataGap } from '../account/model.js';
import { rootAudit } from './root.js';
import type { AccountFinding, RootAudit, UserAudit } from './types.js';

export interface FindingOptions {
  readonly requireHardware: boolean;
  /** A credential report older than this (relative to the audit) is reported as stale. */
  readonly reportMaxAgeHours: number;
  readonly now: Date;
}

export function accountFindings(
  snapshot: AccountSnapshot,
  users: readonly UserAudit[],
  options: FindingOptions,
  root: RootAudit = rootAudit(snapshot),
): AccountFinding[] {
  const findings: AccountFinding[] = [];
  if (root.mfaEnabled === false) findings.push({ code: 'root-without-mfa', severity: 'critical', params: {}, users: [] });
  if (root.mfaEnabled === null) findings.push({ code: 'root-mfa-unknown', severity: 'warning', params: {}, users: [] });
  if (root.accessKeysPresent === true) findings.push({ code: 'root-access-keys', severity: 'high', params: {}, users: [] });
  findings.push(...unassignedDeviceFindings(snapshot));

  const admins = users.filter((user) => user.administrator === true);
  const adminsWithoutMfa = admins.filter((user) => user.mfa.enrolled === false).map((user) => user.userName);
  if (adminsWithoutMfa.length > 0) findings.push({ code: 'admin-without-mfa', severity: 'critical', params: {}, users: adminsWithoutMfa });
  const adminsMfaUnknown = admins.filter((user) => user.mfa.enrolled === null).map((user) => user.userName);
  if (adminsMfaUnknown.length > 0) findings.push({ code: 'admin-mfa-unknown', severity: 'warning', params: {}, users: adminsMfaUnknown });
  const adminsNotEnforced = admins
    .filter((user) => user.mfa.enrolled === true && user.status === 'enrolled-not-enforced')
    .map((user) => user.userName);
  if (adminsNotEnforced.length > 0) findings.push({ code: 'admin-not-enforced', severity: 'high', params: {}, users: adminsNotEnforced });

  const enrolled = users.filter((user) => user.mfa.enrolled === true);
  const virtualOnly = enrolled
    .filter((user) => user.mfa.kinds !== null && user.mfa.kinds.length > 0 && user.mfa.kinds.every((kind) => kind === 'virtual'))
    .map((user) => user.userName);
  if (virtualOnly.length > 0) {
    findings.push({
      code: 'virtual-mfa-only',
      severity: options.requireHardware ? 'warning' : 'info',
      params: { hardwareRequired: options.requireHardware },
      users: virtualOnly,
    });
  }
  const kindsUnknown = enrolled.filter((user) => user.mfa.kinds === null).map((user) => user.userName);
  if (options.requireHardware && kindsUnknown.length > 0) {
    findings.push({ code: 'mfa-kinds-unknown', severity: 'warning', params: {}, users: kindsUnknown });
  }
  const sms = enrolled.filter((user) => user.mfa.kinds?.includes('sms') === true).map((user) => user.userName);
  if (sms.length > 0) findings.push({ code: 'sms-mfa', severity: 'warning', params: {}, users: sms });

  const reaching = users.flatMap((user) =>
    user.reasons.flatMap((reason) => (reason.code === 'bootstrap-reaches-other-users' ? [{ user: user.userName, actions: reason.params.actions }] : [])),
  );
  if (reaching.length > 0) {
    findings.push({
      code: 'bootstrap-reaches-other-users',
      severity: 'info',
      params: { actions: [...new Set(reaching.flatMap((entry) => entry.actions))].sort() },
      users: reaching.map((entry) => entry.user),
    });
  }

  const report = snapshot.sources.find((source) => source.kind === 'credential-report');
  if (report !== undefined) {
    if (report.capturedAt === undefined) {
      findings.push({ code: 'credential-report-age-unknown', severity: 'warning', params: {}, users: [] });
    } else {
      const ageHours = (options.now.getTime() - Date.parse(report.capturedAt)) / 3_600_000;
      if (ageHours > options.reportMaxAgeHours) {
        // Users whose MFA a live call settled do not depend on the report's age.
        const settledLive = snapshot.sources.some((source) => source.kind === 'mfa-devices' && source.origin === 'aws');
        findings.push({
          code: 'credential-report-stale',
          severity: 'warning',
          params: { ageHours: Math.round(ageHours * 10) / 10, settledLive },
          users: [],
        });
      }
    }
  }
  // A credential report left out on purpose is one finding that names its users, not one gap per fact.
  const omitted = snapshot.gaps.find((gap) => gap.cause === 'omitted');
  if (omitted !== undefined) {
    findings.push({
      code: 'credential-report-omitted',
      severity: 'warning',
      params: { path: omitted.detail ?? null },
      users: users.filter((user) => user.status === 'unknown' && user.missing.some((gap) => gap.cause === 'omitted')).map((user) => user.userName),
    });
  }
  for (const gap of snapshot.gaps) if (gap.cause !== 'omitted') findings.push(dataMissing(gap));
  return findings;
}

function dataMissing(gap: DataGap): AccountFinding {
  return { code: 'data-missing', severity: 'warning', params: { fact: gap.fact, cause: gap.cause, detail: gap.detail ?? null }, users: [] };
}

/** Abandoned enrollments: the unassigned virtual devices, or why whether there are any is unknown (never "none"). */
function unassignedDeviceFindings(snapshot: AccountSnapshot): AccountFinding[] {
  const fact = snapshot.unassignedVirtualDevices;
  if (fact === undefined) {
    return [{ code: 'unassigned-virtual-devices-unknown', severity: 'warning', params: { cause: 'file-missing', detail: null, file: null }, users: [] }];
  }
  if ('gap' in fact) {
    const file = fact.gap.cause === 'file-missing' || fact.gap.cause === 'unreadable' ? (fact.gap.detail ?? null) : null;
    return [{ code: 'unassigned-virtual-devices-unknown', severity: 'warning', params: { cause: fact.gap.cause, detail: fact.gap.detail ?? null, file }, users: [] }];
  }
  if (fact.value.length === 0) return [];
  const devices = [...fact.value]
    .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0))
    .map((device) => ({ serialNumber: device.serialNumber, name: device.name, enabledAt: device.enabledAt ?? null }));
  return [{ code: 'unassigned-virtual-devices', severity: 'warning', params: { devices }, users: [] }];
}
