/** The organization report's own texts (account view, progress), one table per language. */
import type { Language } from '../audit/messages/types.js';
import type { CentralizedRootAccess, OrgRootVerdict } from './root.js';

export interface OrgMessages {
  readonly accounts: string;
  readonly account: string;
  readonly name: string;
  readonly status: string;
  readonly users: string;
  readonly reason: string;
  readonly ok: string;
  readonly failed: string;
  readonly management: string;
  readonly managementNote: string;
  readonly usersUnknown: string;
  readonly showUsers: string;
  readonly backToAccounts: string;
  readonly skipped: (count: number, states: string) => string;
  readonly totals: (ok: number, failed: number) => string;
  readonly failedNote: string;
  readonly rootUsers: string;
  readonly rootVerdict: Readonly<Record<OrgRootVerdict, string>>;
  readonly centralizedRootAccess: (access: CentralizedRootAccess) => string;
}

const en: OrgMessages = {
  accounts: 'Accounts',
  account: 'Account',
  name: 'Name',
  status: 'Status',
  users: 'Users',
  reason: 'Reason',
  ok: 'audited',
  failed: 'not audited',
  management: 'management account',
  managementNote: 'Service control policies never apply to the management account: the guard group is its only MFA enforcement.',
  usersUnknown: 'unknown',
  showUsers: 'show these users in the table',
  backToAccounts: 'back to the accounts',
  skipped: (count, states) => `${count} account(s) not ACTIVE were left out (${states}).`,
  totals: (ok, failed) => `${ok} account(s) audited, ${failed} not audited.`,
  failedNote: 'The users of an account that was not audited are unknown: they are counted nowhere, never as compliant.',
  rootUsers: 'Root users',
  rootVerdict: {
    mfa: 'MFA',
    'no-credentials': 'no credentials (no password, no access key), no MFA',
    'credentials-without-mfa': 'password or access keys, NO MFA',
    unknown: 'unknown',
  },
  centralizedRootAccess: (access) =>
    access.reason !== null
      ? `Centralized root access: unknown (${access.reason}).`
      : `Centralized root access: root credentials management ${access.rootCredentialsManagement === true ? 'enabled' : 'not enabled'}, root sessions ${access.rootSessions === true ? 'enabled' : 'not enabled'}.`,
};

const ja: OrgMessages = {
  accounts: 'アカウント一覧',
  account: 'アカウント',
  name: '名前',
  status: '状態',
  users: 'ユーザー',
  reason: '理由',
  ok: '監査済み',
  failed: '監査失敗',
  management: '管理アカウント',
  managementNote: 'サービスコントロールポリシー (SCP) は管理アカウントには適用されません。このアカウントで MFA を強制できるのはガードグループだけです。',
  usersUnknown: '不明',
  showUsers: 'このアカウントのユーザーを表に表示',
  backToAccounts: 'アカウント一覧へ戻る',
  skipped: (count, states) => `ACTIVE でないアカウント ${count} 件は対象外です (${states})。`,
  totals: (ok, failed) => `${ok} アカウントを監査、${failed} アカウントは監査できませんでした。`,
  failedNote: '監査できなかったアカウントのユーザーは不明として扱い、集計には含めず、準拠ともみなしません。',
  rootUsers: 'ルートユーザー',
  rootVerdict: {
    mfa: 'MFA あり',
    'no-credentials': '認証情報なし (パスワードもアクセスキーもなし)、MFA なし',
    'credentials-without-mfa': 'パスワードまたはアクセスキーあり、MFA なし',
    unknown: '不明',
  },
  centralizedRootAccess: (access) =>
    access.reason !== null
      ? `ルートアクセスの一元管理: 不明 (${access.reason})。`
      : `ルートアクセスの一元管理: ルート認証情報の管理は${access.rootCredentialsManagement === true ? '有効' : '無効'}、ルートセッションは${access.rootSessions === true ? '有効' : '無効'}。`,
};

const TABLES: Readonly<Record<Language, OrgMessages>> = { en, ja };

export function orgMessages(language: Language): OrgMessages {
  return TABLES[language];
}
