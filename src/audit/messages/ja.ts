/** 監査の日本語テキスト (Japanese texts of the audit). */
import type { AuditMessages } from './types.js';

const list = (items: readonly string[], limit = 8): string =>
  items.length <= limit ? items.join('、') : `${items.slice(0, limit).join('、')} ほか ${items.length - limit} 件`;
const when = (iso: string | null): string => (iso === null ? 'なし' : iso.slice(0, 10));

const KIND = {
  virtual: '認証アプリケーション (仮想 MFA)',
  hardware: 'ハードウェア TOTP トークン',
  fido: 'パスキーまたはセキュリティキー',
  sms: 'SMS (旧方式)',
  unknown: '種類不明',
} as const;
const FACT = {
  password: 'コンソールパスワード',
  mfa: 'MFA',
  'mfa-kinds': 'MFA デバイスの種類',
  'access-keys': 'アクセスキー',
  policies: 'ポリシー',
  users: 'ユーザー',
  root: 'ルートユーザー',
  'virtual-devices': '未割り当ての仮想 MFA デバイス',
  'account-alias': 'アカウントエイリアス',
} as const;
const CAUSE = {
  'access-denied': 'アクセスが拒否されました',
  'call-failed': 'AWS の呼び出しが失敗し続けました',
  'not-in-credential-report': '認証情報レポートにありません (レポート作成後に作成されたユーザー)',
  'no-credential-report': '認証情報レポートがありません',
  'file-missing': 'ファイルがありません',
  omitted: '認証情報レポートは意図的に省かれました',
  unreadable: '読み取れません',
  'document-missing': 'ポリシードキュメントがありません',
  'group-missing': 'グループがデータにありません',
} as const;
const SOURCE = {
  'credential-report': '認証情報レポート',
  'list-mfa-devices': 'ライブで確認',
  'list-virtual-mfa-devices': '割り当て済みの仮想デバイス (ListVirtualMFADevices)',
  'get-login-profile': 'ライブで確認',
  'list-access-keys': 'ライブで確認',
  'mfa-devices-file': 'list-mfa-devices のファイル',
  builder: 'テストデータ',
} as const;

const stamp = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
const EVIDENCE_CAUSE = {
  'access-denied': 'アクセスが拒否されました',
  'call-failed': 'AWS の呼び出しが失敗し続けました',
  'file-missing': 'ファイルがありません',
  unreadable: '読み取れません',
  'malformed-events': '解読できないイベントがあります',
  'max-events': 'イベント数の上限に達しました',
  'other-account': '別のアカウントのイベントです',
  'export-time-unknown': 'エクスポートの時刻が不明です',
} as const;
const age = (seconds: number): string =>
    seconds < 120
      ? `${Math.round(seconds)} 秒`
      : seconds < 7200
        ? `${Math.round(seconds / 60)} 分`
        : seconds < 172_800
          ? `${Math.round(seconds / 3600)} 時間`
          : `${Math.round(seconds / 86_400)} 日`;

export const ja: AuditMessages = {
  language: 'ja',
  status: {
    protected: '保護済み',
    'pending-enrollment': '登録待ち',
    'enrolled-not-enforced': '登録済み・強制なし',
    unprotected: '未保護',
    'unprotected-programmatic': '未保護 (アクセスキー)',
    'no-credentials': '認証情報なし',
    exempt: '適用除外',
    unknown: '不明',
  },
  statusMeaning: {
    protected: 'MFA が強制され、デバイスも登録済みです。',
    'pending-enrollment': 'MFA は強制済みですがデバイス未登録です。次回サインイン時は MFA の設定しかできません。',
    'enrolled-not-enforced': 'デバイスは登録済みですが、MFA なしのリクエストがまだ通ります。',
    unprotected: 'コンソールパスワードあり・MFA なし・強制なし。最もリスクが高い状態です。',
    'unprotected-programmatic': 'アクセスキーのみ・MFA なし・強制なしの状態です。',
    'no-credentials': 'コンソールパスワードも有効なアクセスキーもなく、サインインできません。',
    exempt: '管理者の判断で対象外にしています (指定、またはタグ force-mfa:exempt = true)。',
    unknown: 'データが欠けているか読み取れません。準拠とは数えません。',
  },
  reasons: {
    'exempt-listed': () => 'この監査で除外対象に指定されています。',
    'exempt-tagged': ({ value }) => `タグ force-mfa:exempt = ${value} が付いています。`,
    'mfa-enforced': ({ policies }) =>
      policies.length > 0
        ? `MFA なしのリクエストはコンソールでもアクセスキーでも拒否されます (${list(policies)})。`
        : 'MFA なしのリクエストはコンソールでもアクセスキーでも拒否されます (複数のポリシーの組み合わせ)。',
    'guard-console-only': ({ policies }) =>
      `${list(policies)} は MFA なしのコンソールセッションを拒否しますが、アクセスキーで署名したリクエストは拒否しません。条件が BoolIfExists ではなく Bool になっている可能性があります。`,
    'not-enforced': ({ context, actions }) =>
      `${context === 'console-no-mfa' ? 'MFA なしのコンソールセッション' : 'MFA なしのアクセスキー'}で ${list(actions, 4)} をまだ呼び出せます。`,
    'allowed-without-mfa': ({ context, actions, count }) =>
      `${context === 'console-no-mfa' ? 'MFA なしのコンソールセッション' : 'MFA なしのアクセスキー'}で、MFA 設定用以外のアクション ${count} 件をまだ呼び出せます: ${actions.join('、')}${count > actions.length ? ` ほか ${count - actions.length} 件` : ''}。`,
    'exhaustive-check-unavailable': () => 'すべての AWS アクションを確認できませんでした (アクションカタログが渡されていません)。強制は証明されていません。',
    'bootstrap-reaches-other-users': ({ actions }) => `MFA なしでも ${list(actions, 4)} が本人だけでなく他のユーザーにも実行できます (seed ガードの範囲)。`,
    'no-guard': () => 'このユーザーのポリシーには MFA なしのリクエストを拒否するものがありません。',
    'guard-switchable': ({ policy, statement, keys }) =>
      `${policy} の MFA 拒否 (ステートメント ${statement}) は ${list(keys)} も条件にしています。この値は呼び出し側やリクエストが決めるため、値次第で拒否を回避でき、MFA は強制されていません。`,
    'policy-unevaluable': ({ policy, message }) => `ポリシー ${policy} を正確に評価できませんでした: ${message}`,
    'mfa-enrolled': ({ kinds, source }) =>
      kinds === null ? `MFA デバイスがあります (${SOURCE[source]})。` : `MFA: ${list(kinds.map((kind) => KIND[kind]))}。`,
    'mfa-not-enrolled': ({ source }) => `MFA デバイスがありません (${SOURCE[source]})。`,
    'password-enabled': ({ lastUsedAt }) => `コンソールパスワードが有効です (最終使用: ${when(lastUsedAt)})。`,
    'no-password': () => 'コンソールパスワードはありません。',
    'access-keys-active': ({ count, lastUsedAt }) => `有効なアクセスキーが ${count} 個あります (最終使用: ${when(lastUsedAt)})。`,
    'no-access-keys': () => '有効なアクセスキーはありません。',
    'signed-in-without-mfa': ({ count, lastAt, lastSourceIp, days }) =>
      `過去 ${days} 日間に MFA なしでコンソールにサインインしています (CloudTrail、${count} 回、最終 ${stamp(lastAt)}${lastSourceIp === null ? '' : `、送信元 ${lastSourceIp}`})。`,
    'fact-unknown': ({ fact, cause, detail }) => `${FACT[fact]}が不明です: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}。`,
  },
  nextSteps: {
    none: () => '対応は不要です。',
    'enroll-mfa': ({ user }) => `${user} さんに、サインインして MFA デバイスを割り当てるよう依頼してください。割り当てが済むまで、他の操作はできません。`,
    'enroll-mfa-for-key-user': ({ user }) =>
      `${user} はアクセスキーのみでコンソールパスワードがありません。一時パスワードを渡してデバイスを登録してもらうか、管理者が登録してください。以後ツールには MFA セッション (force-mfa session) が必要です。`,
    'add-to-guard-group': ({ user, group }) => `${user} をグループ ${group} に追加してください。`,
    'add-to-guard-group-before-credentials': ({ user, group }) => `認証情報を渡す前に ${user} をグループ ${group} に追加してください。`,
    'fix-guard-condition': ({ policies }) =>
      `${list(policies)} を修正してください。aws:MultiFactorAuthPresent に BoolIfExists を使えばアクセスキーも対象になります (force-mfa template が修正版を出力します)。`,
    'fix-guard-exemptions': ({ actions }) => `ガードのポリシーが ${list(actions, 4)} を MFA なしで許しています。これらの除外を削除してください。`,
    'remove-switchable-condition': ({ policy, statement, keys }) =>
      `${policy} のステートメント ${statement} から ${list(keys)} の条件を削除してください。MFA なしのリクエストを拒否する条件は MFA のキーだけにする必要があります (force-mfa template がそのようなガードを出力します)。`,
    'deny-or-accept-without-mfa': ({ actions, count }) =>
      `${actions.join('、')}${count > actions.length ? ` ほか ${count - actions.length} 件` : ''} を MFA なしでは拒否してください (ガードの除外から外す)。意図したものなら audit --allow-without-mfa で許容を明示してください。`,
    'provide-action-catalogue': () => 'アクションカタログを使って再度監査してください (force-mfa audit は自動で読み込みます。ライブラリの呼び出し側は options.catalogue を渡してください)。',
    'secure-programmatic-user': ({ user, group }) =>
      `${user} が人なら ${group} に追加してください (ツールには MFA セッションが必要になります)。マシン用ならキーをロールに置き換えるか、明示的に除外してください。`,
    'review-exemption': ({ user }) => `${user} の除外を定期的に見直してください。`,
    'collect-missing-data': ({ facts }) => `${list(facts.map((fact) => FACT[fact]))}を読み取れるようにして (権限、ファイル)、再度監査してください。`,
    'write-credential-report': ({ user, path, facts }) =>
      `認証情報レポートを書き出してください。${user} の${list(facts.map((fact) => FACT[fact]))}はこのレポートで確定します: aws iam generate-credential-report を実行し、続けて aws iam get-credential-report --output json > ${path} を実行してから、再度監査してください。`,
    'review-sign-ins-without-mfa': ({ user }) =>
      `${user} には現在 MFA デバイスがありますが、最近 MFA なしでサインインしています。デバイスがその後に追加されたのか、削除して再登録されたのか、誰がサインインしたのか (時刻と送信元 IP は理由欄) を確認してください。`,
    'fix-policy-document': ({ policy }) => `ポリシー ${policy} を確認してください。評価器が正確に読み取れませんでした。`,
  },
  findings: {
    'root-without-mfa': () => 'ルートユーザーに MFA デバイスがありません。',
    'root-mfa-unknown': () => 'ルートユーザーの MFA の有無が不明です (GetAccountSummary も認証情報レポートのルートの行も読み取れませんでした)。',
    'root-access-keys': () => 'ルートユーザーにアクセスキーがあります。削除してください。',
    'org-root-without-mfa': ({ accounts, recoverable, centralizedRootCredentials }) =>
      [
        accounts.length > 0 ? `ルートユーザーにパスワードまたはアクセスキーがあり MFA がないメンバーアカウント: ${list(accounts)}。` : '',
        recoverable.length > 0
          ? `ルートユーザーに認証情報も MFA もないが、メールでルートのパスワードを回復できるメンバーアカウント (ルート認証情報の一元管理は${centralizedRootCredentials === false ? '無効' : '有効と確認できません'}): ${list(recoverable)}。`
          : '',
      ]
        .filter((text) => text !== '')
        .join(''),
    'org-root-unknown': ({ accounts }) => `ルートユーザーの MFA が不明なメンバーアカウント: ${list(accounts.map((account) => `${account.id} (${account.reason})`), 5)}。`,
    'unassigned-virtual-devices': ({ devices }) =>
      `どのユーザーにも割り当てられていない仮想 MFA デバイスが ${devices.length} 個あります (中断された登録の残り。AWS は作成日時を返しません): ${list(devices.map((device) => (device.enabledAt === null ? device.name : `${device.name} (有効化 ${when(device.enabledAt)})`)))}。force-mfa devices cleanup で削除してください。`,
    'unassigned-virtual-devices-unknown': ({ cause, detail, file }) =>
      file !== null
        ? `未割り当ての仮想 MFA デバイスの有無が不明です: ${file} が${cause === 'file-missing' ? 'ありません' : '読み取れません'}。\`aws iam list-virtual-mfa-devices --assignment-status Unassigned --output json > ${file}\` で作成してください。`
        : `未割り当ての仮想 MFA デバイスの有無が不明です: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}。`,
    'admin-without-mfa': (_params, users) => `MFA のない管理者: ${list(users)}。`,
    'admin-not-enforced': (_params, users) => `デバイスはあるが MFA が強制されていない管理者: ${list(users)}。`,
    'admin-mfa-unknown': (_params, users) => `MFA の有無が不明な管理者: ${list(users)}。`,
    'bootstrap-reaches-other-users': ({ actions }, users) =>
      `MFA なしでも ${list(actions, 4)} を本人以外のユーザーにも実行できます (seed ガードは任意のユーザーに許可しています): ${list(users)}。`,
    'virtual-mfa-only': ({ hardwareRequired }, users) =>
      `仮想 MFA デバイスしか持たないユーザー${hardwareRequired ? ' (ハードウェアトークンまたはセキュリティキーが必要です)' : ''}: ${list(users)}。`,
    'mfa-kinds-unknown': (_params, users) => `MFA デバイスの種類が不明なユーザー (認証情報レポートでは種類がわかりません): ${list(users)}。`,
    'sms-mfa': (_params, users) => `AWS がサポートを終了した SMS MFA を使っているユーザー: ${list(users)}。別の MFA デバイスに切り替えてください。`,
    'credential-report-stale': ({ ageHours, settledLive }) =>
      `認証情報レポートは ${age(ageHours * 3600)}前のものです${settledLive ? '。必要なユーザーの MFA はライブで確認しました' : '。最近の登録や削除が反映されていない可能性があります'}。`,
    'credential-report-age-unknown': () => '認証情報レポートに作成日時がありません。内容が古い可能性があります。',
    'credential-report-omitted': ({ path }, users) =>
      `認証情報レポートは読み込んでいません (意図的に省かれました)。${users.length === 0 ? 'すべてのユーザー' : list(users)}のコンソールパスワードとアクセスキー、mfa-devices のファイルで確定しない MFA、ルートユーザーの MFA が不明です。aws iam generate-credential-report を実行し、続けて aws iam get-credential-report --output json${path === null ? '' : ` > ${path}`} で書き出してください。`,
    'console-sign-in-without-mfa': ({ days }, users) => `過去 ${days} 日間に MFA なしでコンソールにサインインしたユーザー (CloudTrail): ${list(users)}。`,
    'root-console-sign-in-without-mfa': ({ count, lastAt, lastSourceIp, days }) =>
      `ルートユーザーが過去 ${days} 日間に MFA なしでコンソールにサインインしています (${count} 回、最終 ${stamp(lastAt)}${lastSourceIp === null ? '' : `、送信元 ${lastSourceIp}`})。`,
    'sign-in-evidence-unknown': ({ days, gaps }) =>
      `過去 ${days} 日間の CloudTrail の証拠が不完全です (${gaps.map((gap) => `${EVIDENCE_CAUSE[gap.cause]}: ${gap.detail}`).join('; ')})。名前のないユーザーも MFA なしでサインインしている可能性があります。`,
    'sign-in-evidence-partial': ({ days, maxEvents, oldestReadAt }) =>
      `サインインイベントは新しい順に ${maxEvents.toLocaleString('en-US')} 件までしか読んでいません${oldestReadAt === null ? '' : ` (${stamp(oldestReadAt)} まで)`}。過去 ${days} 日間のすべてではないため、名前のないユーザーもそれ以前に MFA なしでサインインしている可能性があります。期間全体を読むにはイベント数の上限を上げてください。`,
    'data-missing': ({ fact, cause, detail }) => `${FACT[fact]}を取得できません: ${CAUSE[cause]}${detail === null ? '' : ` (${detail})`}。`,
  },
  severity: { critical: '重大', high: '高', warning: '警告', info: '情報' },
  context: { 'console-no-mfa': 'MFA なしのコンソール', 'access-keys': 'アクセスキー' },
  verdict: { denied: '拒否', 'not-denied': '拒否されない', unknown: '不明' },
  fact: FACT,
  cause: CAUSE,
  mfaKind: KIND,
  factSource: SOURCE,
  sourceKind: {
    'authorization-details': '認可の詳細',
    'credential-report': '認証情報レポート',
    'mfa-devices': 'MFA デバイス',
    'virtual-mfa-devices': '仮想 MFA デバイス',
    'account-summary': 'アカウントの概要',
    'login-profiles': 'ログインプロファイル',
    'access-keys': 'アクセスキー',
    'account-aliases': 'アカウントエイリアス',
  },
  captureUnknown: { 'not-recorded': 'エクスポートに時刻が記録されていません' },
  labels: {
    title: 'force-mfa 監査レポート',
    account: 'アカウント',
    signInUrl: 'サインイン URL',
    generatedAt: '作成日時',
    summary: '概要',
    users: 'ユーザー',
    user: 'ユーザー',
    path: 'パス',
    status: '状態',
    reasons: '理由',
    nextStep: '次の対応',
    groups: 'グループ',
    mfa: 'MFA',
    consolePassword: 'コンソールパスワード',
    accessKeys: 'アクセスキー',
    enforced: '強制',
    consoleOnly: 'コンソールのみ',
    administrator: '管理者',
    findings: '指摘事項',
    severity: '重要度',
    sources: 'データソース',
    source: 'ソース',
    capturedAt: '取得日時',
    age: '経過時間',
    inScope: 'MFA の対象ユーザー',
    enrolledShare: '登録済み',
    protectedShare: '保護済み',
    count: '人数',
    filterPlaceholder: 'ユーザー、グループ、理由で絞り込み',
    allStatuses: 'すべての状態',
    allAccounts: 'すべてのアカウント',
    noFindings: '指摘事項はありません。',
    noUsers: 'このアカウントには IAM ユーザーがいません。',
    yes: 'はい',
    no: 'いいえ',
    unknown: '不明',
    none: 'なし',
    chartTitle: '状態別のユーザー数',
    showing: (shown, total) => `${total} 人中 ${shown} 人を表示`,
    sortHint: '列見出しをクリックすると並べ替えます。',
    missingData: '欠けているデータ',
  },
  signIns: {
    column: 'MFA なしのサインイン (CloudTrail)',
    title: 'MFA なしのサインイン (CloudTrail)',
    notUsed: '最近のサインインで未使用',
    cell: (evidence) =>
      evidence.state === 'found'
        ? `${evidence.count ?? 0} 回、最終 ${stamp(evidence.lastAt ?? '')}${evidence.lastSourceIp === null ? '' : `、送信元 ${evidence.lastSourceIp}`}`
        : evidence.state === 'none'
          ? 'なし'
          : evidence.state === 'unknown'
            ? '不明'
            : '未読込',
    summary: (evidence) =>
      evidence.state === 'not-read'
        ? '読み込んでいません (force-mfa audit --evidence-days N で過去 N 日間の ConsoleLogin イベントを読みます)'
        : `${evidence.state === 'complete' ? '完全' : evidence.state === 'partial' ? '一部のみ' : '不完全'}: ${stamp(evidence.from)} から ${stamp(evidence.to)} までの ConsoleLogin イベント ${evidence.events.toLocaleString('en-US')} 件 (${evidence.windowEnd === 'export' ? 'エクスポート時点 (認証情報レポートの作成時刻) から' : evidence.windowEnd === 'now' ? 'エクスポートの時刻が不明なため現在から' : '現在から'}さかのぼって ${evidence.days} 日間)、${evidence.regions === null ? evidence.location : `リージョン ${evidence.regions.join(', ')} (他のリージョンのサインインエンドポイント経由のサインインは読んでいません)`}。MFA なしでサインインしたユーザー ${evidence.usersWithoutMfa} 人。失敗したサインイン ${evidence.failures} 件は数えていません${evidence.formerUsers.length === 0 ? '' : `。既に存在しないユーザー ${evidence.formerUsers.length} 人: ${list(evidence.formerUsers.map((user) => user.userName ?? user.arn))}`}。`,
    cause: EVIDENCE_CAUSE,
  },
  age,
  date: (iso) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
  asff: {
    userTitle: (userName, status) => `IAM ユーザー ${userName}: ${status}`,
    resolvedNote: (auditedAt) => `force-mfa: ${auditedAt} の監査では検出されませんでした (保護済み、除外、認証情報なし、または削除済みのユーザー)`,
  },
  rootState: (root) => {
    const fact = (value: boolean | null, name: string): string => `${name}: ${value === null ? '不明' : value ? 'あり' : 'なし'}`;
    const device = root.mfaDevice === 'virtual' ? ' (仮想)' : root.mfaDevice === 'hardware-or-fido' ? ' (ハードウェア TOTP または FIDO キー)' : '';
    const mfa = root.mfaEnabled === null ? 'MFA: 不明' : root.mfaEnabled ? `MFA: あり${device}` : 'MFA: なし';
    return `ルートユーザー: ${mfa}、${fact(root.passwordPresent, 'パスワード')}、${fact(root.accessKeysPresent, 'アクセスキー')}`;
  },
};
