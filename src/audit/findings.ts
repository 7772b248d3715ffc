/** Account findings: root and administrators without MFA, device kinds, an old or missing credential report. */
import type { AccountSnapshot, DataGap } from '../account/model.js';
import type { AccountFinding, UserAudit } from './types.js';

export interface FindingOptions {
  readonly requireHardware: boolean;
  /** A credential report older than this (relative to the audit) is reported as stale. */
  readonly reportMaxAgeHours: number;
  readonly now: Date;
}

export function accountFindings(snapshot: AccountSnapshot, users: readonly UserAudit[], options: FindingOptions): AccountFinding[] {
  const findings: AccountFinding[] = [];
  const root = snapshot.root;
  if (root?.mfaActive === false) findings.push({ code: 'root-without-mfa', severity: 'critical', params: {}, users: [] });
  if (root === undefined || root.mfaActive === undefined) findings.push({ code: 'root-mfa-unknown', severity: 'warning', params: {}, users: [] });
  if (root?.accessKeysActive === true) findings.push({ code: 'root-access-keys', severity: 'high', params: {}, users: [] });

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
