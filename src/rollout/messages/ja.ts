/** 日本語の案内文: ガードのグループに追加されたユーザーが次回サインイン時に行うこと。 */
import type { OnboardingMessageTable } from './types.js';

export const ja: OnboardingMessageTable = {
  documentTitle: 'MFA 設定のご案内',
  subject: ({ accountLabel }) => `【対応のお願い】AWS のサインインに MFA を設定してください（${accountLabel}）`,
  greeting: ({ userName }) => `${userName} さん`,
  intro: ({ userName, accountLabel }) =>
    `AWS アカウント ${accountLabel} の IAM ユーザー「${userName}」では、多要素認証（MFA）が必須になりました。` +
    'MFA デバイスを設定し、MFA を使ってサインインし直すまでは、マネジメントコンソールで MFA の設定とパスワードの変更' +
    '以外の操作はできず、ほとんどの画面で権限エラー（access denied）が表示されます。設定は 5 分ほどで終わります。',
  stepsHeading: 'MFA の設定手順',
  steps: {
    signIn: ({ userName, signInUrl }) =>
      `${signInUrl} を開き、IAM ユーザー「${userName}」とパスワードでマネジメントコンソールにサインインします。` +
      '新しいパスワードの設定を求められた場合は、画面に従って設定してください。',
    openSecurityCredentials:
      '画面右上のアカウントメニュー（ユーザー名が表示されている部分）を開き、[[Security credentials]]を選択します' +
      '（コンソールを日本語で表示している場合は「セキュリティ認証情報」です）。',
    assignMfaDevice:
      '[[Multi-factor authentication (MFA)]]の欄で[[Assign MFA device]]を選択します。デバイス名を入力し、' +
      'デバイスの種類（スマートフォンの認証アプリ、パスキー、セキュリティキーのいずれか）を選んで、画面の指示に従って' +
      '登録してください。認証アプリの場合は、QR コードを読み取り、続けて表示される 2 つのコードを入力します。',
    signOutAndIn:
      'アカウントメニューの[[Sign out]]でいったんサインアウトし、パスワードと MFA デバイスでもう一度サインインして' +
      'ください。この手順は省略できません。サインインし直すまでは変更が反映されず、設定前と同じく何も操作できません。',
  },
  withNoPasswordHint: (signInStep) =>
    `${signInStep}コンソールのパスワードをお持ちでない場合は、MFA デバイスの登録かパスワードの発行を管理者に依頼してください。`,
  withoutConsolePassword: {
    intro: ({ userName, accountLabel }) =>
      `AWS アカウント ${accountLabel} の IAM ユーザー「${userName}」では、多要素認証（MFA）が必須になりました。` +
      'このユーザーにはコンソールのパスワードがなく、アクセスキーだけでは MFA デバイスを登録できないため、ご自身で ' +
      'MFA を設定することはできません。最初の設定は AWS の管理者と一緒に行ってください。',
    stepsHeading: 'MFA の設定手順（管理者と一緒に行います）',
    steps: {
      askAdministrator:
        'AWS の管理者に、仮想 MFA デバイスの登録か、コンソールのパスワードの発行のどちらかを依頼してください。' +
        'アクセスキーだけを使う場合は仮想 MFA デバイスで十分です。コンソールも使う場合はパスワードを依頼してください。',
      virtualDeviceByAdministrator:
        '仮想 MFA デバイスの場合: 管理者がデバイスを作成し、QR コードを表示します。スマートフォンの認証アプリで QR ' +
        'コードを読み取り、続けて表示される 2 つのコード（今のコードと次のコード）を管理者に伝えてください。管理者が' +
        'そのコードでデバイスを有効にします。QR コードがあれば誰でも同じコードを作れてしまうため、コピーや' +
        'スクリーンショットは残さないでください。',
      consoleWithNewPassword: ({ userName, signInUrl }) =>
        `パスワードの場合: ${signInUrl} を開き、IAM ユーザー「${userName}」と管理者から受け取ったパスワードで` +
        'マネジメントコンソールにサインインします。画面右上のアカウントメニューから[[Security credentials]]' +
        '（日本語表示では「セキュリティ認証情報」）を開き、[[Assign MFA device]]を選んで、画面の指示に従って登録して' +
        'ください。そのあと、いったんサインアウトしてもう一度サインインしてください。サインインし直すまでは変更が' +
        '反映されません。',
    },
  },
  cli: {
    heading: {
      known: 'アクセスキー（AWS CLI・SDK・Terraform）もお使いの方へ',
      possible: 'アクセスキー（AWS CLI・SDK・Terraform）をお使いの場合',
    },
    beforeCommand:
      '今後、アクセスキーだけで署名した呼び出しはすべて拒否されます。作業を始める前に、次のコマンドで MFA を使った' +
      '一時的なセッションを取得してください。',
    command: ({ cliProfile }) => `force-mfa session --profile ${cliProfile}`,
    afterCommand: ({ cliProfile }) =>
      `認証アプリのコードを入力すると、セッションがプロファイル「${cliProfile}-mfa」に保存されます。以降はこのプロファイル` +
      `を使ってください（例: AWS_PROFILE=${cliProfile}-mfa）。セッションの有効期限が切れたら、もう一度コマンドを実行します。`,
    fidoNote:
      'パスキーとセキュリティキーは CLI では使えません。CLI で使えるのは認証アプリまたはハードウェアトークンのコードだけ' +
      'です。アクセスキーをお使いの場合は、認証アプリかハードウェアトークンのどちらかもあわせて登録しておいてください。',
  },
  closing: 'うまくいかない場合は、このメッセージに返信するか、AWS の管理者にお問い合わせください。',
  notice: {
    subject: ({ accountLabel }, date) => `【事前のお知らせ】${date} から AWS のサインインに MFA が必須になります。今のうちに設定してください（${accountLabel}）`,
    intro: ({ userName, accountLabel }, date) =>
      `AWS アカウント ${accountLabel} の IAM ユーザー「${userName}」では、${date} から多要素認証（MFA）が必須になります。` +
      'その日以降は、MFA デバイスを設定して MFA を使ってサインインし直すまで、マネジメントコンソールで MFA の設定と' +
      'パスワードの変更以外の操作ができなくなります。今のうちに設定しておいてください。設定は 5 分ほどで終わり、' +
      'その日までは今までどおりお使いいただけます。',
    signOutAndIn:
      'アカウントメニューの[[Sign out]]でいったんサインアウトし、パスワードと MFA デバイスでもう一度サインインして、' +
      '正しく設定できたことを確かめてください。',
    withoutConsolePasswordIntro: ({ userName, accountLabel }, date) =>
      `AWS アカウント ${accountLabel} の IAM ユーザー「${userName}」では、${date} から多要素認証（MFA）が必須になります。` +
      'このユーザーにはコンソールのパスワードがなく、その日以降はアクセスキーだけでは MFA デバイスを登録できなくなります。' +
      '今のうちに AWS の管理者に依頼して、最初の設定を一緒に行ってください。',
    cliBeforeCommand: (date) =>
      `${date} 以降、アクセスキーだけで署名した呼び出しはすべて拒否されます。その日からは、作業を始める前に次のコマンドで` +
      ' MFA を使った一時的なセッションを取得してください。',
  },
  skipped: {
    heading: (count) => `案内文を作成しなかったユーザー（${count} 人）:`,
    reasons: {
      excluded: () => '除外を指定されています（--exclude）',
      exempt: () => '強制の適用除外です（タグ force-mfa:exempt）。名前を指定すれば作成します',
      'has-mfa': (status) => `MFA デバイスを登録済みです（${status}）`,
      'status-not-picked': (status) => `状態 ${status} は選択された状態（--status）に含まれません`,
      'no-console-password': (status) =>
        `MFA が強制されておらず（${status}）、コンソールのパスワードもありません（マシンユーザーの可能性があります）。名前を指定すれば作成します`,
      'not-enforced': (status) =>
        `このユーザーにはまだ MFA が強制されていません（${status}）。--notice-before 日付 で事前のお知らせを作成するか、先にグループに登録してください`,
    },
  },
  quote: (label) => `「${label}」`,
  quoteRichLabels: true,
};
