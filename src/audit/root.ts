/** The root user's MFA and credentials from the snapshot: GetAccountSummary first, the credential report's root row after. */
import type { AccountSnapshot, DataGap } from '../account/model.js';
import type { RootAudit, RootFactSource } from './types.js';

export function rootAudit(snapshot: AccountSnapshot): RootAudit {
  const row = snapshot.root;
  const summary = snapshot.rootSummary !== undefined && 'value' in snapshot.rootSummary ? snapshot.rootSummary.value : undefined;
  const missing: DataGap[] = [];
  if (snapshot.rootSummary !== undefined && 'gap' in snapshot.rootSummary) missing.push(snapshot.rootSummary.gap);
  if (row === undefined) {
    const reportGap = snapshot.gaps.find((gap) => gap.fact === 'root');
    missing.push(reportGap ?? { fact: 'root', cause: 'no-credential-report', detail: 'the credential report has no <root_account> row' });
  }
  const sources: RootFactSource[] = [];
  if (summary !== undefined) sources.push('account-summary');
  if (row !== undefined) sources.push('credential-report');
  if (summary?.virtualDevice !== undefined) sources.push('virtual-mfa-devices');

  // The summary is read live and is current; the report may be four hours old.
  const mfaEnabled = summary?.mfaEnabled ?? row?.mfaActive;
  const keys = [summary?.accessKeysPresent, row?.accessKeysActive];
  const accessKeysPresent = keys.includes(true) ? true : keys.includes(false) ? false : undefined;
  const mfaDevice =
    mfaEnabled !== true || summary?.virtualDevice === undefined ? null : summary.virtualDevice ? 'virtual' : 'hardware-or-fido';
  return {
    arn: row?.arn ?? (snapshot.accountId === undefined ? null : `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`),
    mfaEnabled: mfaEnabled ?? null,
    mfaDevice,
    passwordPresent: summary?.passwordPresent ?? null,
    accessKeysPresent: accessKeysPresent ?? null,
    passwordLastUsedAt: row?.passwordLastUsedAt ?? null,
    sources,
    missing,
  };
}
