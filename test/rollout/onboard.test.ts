// The onboarding messages: the seed's steps in both languages, in order, in every format; recipients; escaping.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accountSignInFromUrl,
  DEFAULT_ONBOARDING_STATUSES,
  noticeDate,
  onboardingMessage,
  pickFromAudit,
  signInUrlFromAudit,
  signInUrlOf,
  type AuditSelection,
} from '../../src/rollout/onboard.js';
import { renderOnboarding, type OnboardingFormat } from '../../src/rollout/onboard-render.js';
import type { OnboardingLanguage } from '../../src/rollout/messages/types.js';
import { runCli } from '../cli/run-cli.js';

const ACCOUNT = signInUrlOf({ alias: 'example-corp', accountId: '123456789012', partition: 'aws' });
const URL = 'https://example-corp.signin.aws.amazon.com/console';

/**
 * The seed's four steps, each with words that must appear in its text (written here, not taken from the tables):
 * sign in; open Security credentials from the menu; set up the MFA device; sign out and sign in again, since the
 * change is not seen before.
 */
const SEED_STEPS: Readonly<Record<OnboardingLanguage, readonly (readonly string[])[]>> = {
  en: [
    [URL, 'Sign in', 'password'],
    ['account menu', 'Security credentials'],
    ['Assign MFA device', 'authenticator app', 'passkey', 'security key'],
    ['Sign out', 'sign in again', 'not seen until you sign in again'],
  ],
  ja: [
    [URL, 'サインインします'],
    ['アカウントメニュー', '「Security credentials」'],
    ['「Assign MFA device」', '認証アプリ', 'パスキー', 'セキュリティキー'],
    ['「Sign out」', 'サインアウト', 'もう一度サインイン', '変更が反映されず'],
  ],
};

describe.each(['en', 'ja'] as const)('onboarding in %s', (language) => {
  const message = onboardingMessage({ userName: 'bob', hasAccessKeys: true, hasConsolePassword: true }, ACCOUNT, language, 'work');
  const text = renderOnboarding([message], 'text');

  it('has every step of the seed, each as its own numbered step, in the seed order', () => {
    const steps = [...text.matchAll(/^ {2}(\d)\. (.*)$/gm)];
    expect(steps.map((step) => step[1])).toEqual(['1', '2', '3', '4']);
    SEED_STEPS[language].forEach((markers, index) => {
      for (const marker of markers) expect(steps[index]?.[2]).toContain(marker);
    });
  });

  it.each(['markdown', 'html'] as OnboardingFormat[])('keeps the steps in order in %s', (format) => {
    const output = renderOnboarding([message], format);
    const anchors = SEED_STEPS[language].map((markers) => markers[1] as string).map((marker) =>
      format === 'html' ? marker.replace(/「(.+)」/, '「<strong>$1</strong>」') : marker.replace(/「(.+)」/, '「**$1**」'),
    );
    const positions = anchors.map((anchor) => output.indexOf(anchor));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('explains the MFA session for access keys, after the console steps', () => {
    expect(text).toContain('force-mfa session --profile work');
    expect(text).toContain('work-mfa');
    expect(text.indexOf('force-mfa session')).toBeGreaterThan(text.indexOf('  4. '));
  });

  it('leaves the CLI section out for a user known to have no access keys', () => {
    const withoutKeys = renderOnboarding([onboardingMessage({ userName: 'bob', hasAccessKeys: false, hasConsolePassword: true }, ACCOUNT, language, 'work')], 'text');
    expect(withoutKeys).not.toContain('force-mfa session');
  });
});

describe('Japanese text', () => {
  const message = onboardingMessage({ userName: 'bob', hasAccessKeys: undefined, hasConsolePassword: undefined }, ACCOUNT, 'ja', 'default');

  it.each([
    [true, undefined],
    [false, undefined],
    [undefined, undefined],
    [true, '2099-07-01'],
    [false, '2099-07-01'],
  ])('is polite (です/ます) in every sentence of the steps (console password: %s, notice: %s)', (hasConsolePassword, noticeBefore) => {
    const variant = onboardingMessage({ userName: 'bob', hasAccessKeys: undefined, hasConsolePassword }, ACCOUNT, 'ja', 'default', noticeBefore);
    for (const step of [variant.intro, ...variant.steps]) {
      for (const sentence of step.split('。').filter((part) => part.trim() !== '')) {
        expect(sentence).toMatch(/(ます|ました|ません|ください|です)(（.*）)?$/);
      }
    }
  });

  it('keeps the console labels in English, as the console shows them', () => {
    const text = renderOnboarding([message], 'text');
    for (const label of ['「Security credentials」', '「Assign MFA device」', '「Sign out」']) expect(text).toContain(label);
  });

  it('makes the CLI section conditional when access keys are unknown', () => {
    expect(message.cli?.heading).toBe('アクセスキー（AWS CLI・SDK・Terraform）をお使いの場合');
  });
});

describe('sign-in URL', () => {
  it.each([
    [{ alias: 'example-corp', accountId: '123456789012', partition: 'aws' }, 'https://example-corp.signin.aws.amazon.com/console', 'example-corp'],
    [{ alias: undefined, accountId: '123456789012', partition: 'aws' }, 'https://123456789012.signin.aws.amazon.com/console', '123456789012'],
    [{ alias: undefined, accountId: '123456789012', partition: 'aws-cn' }, 'https://123456789012.signin.amazonaws.cn/console', '123456789012'],
    [{ alias: 'gov', accountId: '123456789012', partition: 'aws-us-gov' }, 'https://gov.signin.amazonaws-us-gov.com/console', 'gov'],
  ])('%o gives %s', (account, url, label) => {
    expect(signInUrlOf(account)).toEqual({ signInUrl: url, accountLabel: label });
  });

  it('takes a given URL and names the account by its first host label', () => {
    expect(accountSignInFromUrl('https://acme.signin.aws.amazon.com/console')).toEqual({
      accountLabel: 'acme',
      signInUrl: 'https://acme.signin.aws.amazon.com/console',
    });
  });

  it.each(['http://acme.signin.aws.amazon.com/console', 'not a url'])('refuses %s', (url) => {
    expect(() => accountSignInFromUrl(url)).toThrow(/is not an https URL/);
  });
});

describe('picking from an audit: by what the audit evaluated, never by the status name alone', () => {
  const enforced = { 'console-no-mfa': 'denied', 'access-keys': 'denied' };
  const notEnforced = { 'console-no-mfa': 'not-denied', 'access-keys': 'not-denied' };
  const password = (enabled: boolean | null) => ({ enabled, lastUsedAt: null });
  const keys = (active: number | null) => ({ active, lastUsedAt: null, idSuffixes: [] });
  const audit = {
    users: [
      { userName: 'alice', status: 'protected', exempt: false, enforcement: enforced, consolePassword: password(true), accessKeys: keys(0) },
      { userName: 'bob', status: 'pending-enrollment', exempt: false, enforcement: enforced, consolePassword: password(true), accessKeys: keys(0) },
      { userName: 'heidi', status: 'pending-enrollment', exempt: false, enforcement: enforced, consolePassword: password(false), accessKeys: keys(1) },
      // An audit file that says pending but whose evaluation does not show enforcement: the evaluation decides.
      { userName: 'odd', status: 'pending-enrollment', exempt: false, enforcement: { 'console-no-mfa': 'denied', 'access-keys': 'unknown' }, consolePassword: password(true), accessKeys: keys(0) },
      { userName: 'rupert', status: 'unprotected', exempt: false, enforcement: notEnforced, consolePassword: password(true), accessKeys: keys(0) },
      { userName: 'svc-ci', status: 'unprotected-programmatic', exempt: false, enforcement: notEnforced, consolePassword: password(false), accessKeys: keys(1) },
      { userName: 'dave', status: 'unprotected', exempt: false, enforcement: notEnforced, consolePassword: password(null), accessKeys: keys(null) },
      { userName: 'breakglass', status: 'exempt', exempt: true, enforcement: notEnforced, consolePassword: password(true), accessKeys: keys(0) },
    ],
  };
  const pick = (selection: Partial<AuditSelection>) => {
    const result = pickFromAudit(audit, { statuses: DEFAULT_ONBOARDING_STATUSES, ...selection }, 'audit.json');
    return {
      written: result.recipients.map((recipient) => `${recipient.userName}:${recipient.kind}`),
      skipped: Object.fromEntries(result.skipped.map((user) => [user.userName, user.reason])),
    };
  };

  it.each<[string, Partial<AuditSelection>, string[], Record<string, string>]>([
    [
      'by default: enforced users without a device only',
      {},
      ['bob:required', 'heidi:required'],
      { alice: 'has-mfa', odd: 'not-enforced', rupert: 'status-not-picked', 'svc-ci': 'status-not-picked', dave: 'status-not-picked', breakglass: 'exempt' },
    ],
    [
      'unprotected picked without a date: no message says "now required"',
      { statuses: ['pending-enrollment', 'unprotected', 'unprotected-programmatic'] },
      ['bob:required', 'heidi:required'],
      { alice: 'has-mfa', odd: 'not-enforced', rupert: 'not-enforced', 'svc-ci': 'no-console-password', dave: 'no-console-password', breakglass: 'exempt' },
    ],
    [
      'unprotected picked with a date: notices, never to machine users or exempt ones',
      { statuses: ['pending-enrollment', 'unprotected', 'unprotected-programmatic', 'exempt'], noticeBefore: '2099-07-01', exclude: ['bob'] },
      ['heidi:required', 'odd:notice', 'rupert:notice'],
      { alice: 'has-mfa', bob: 'excluded', 'svc-ci': 'no-console-password', dave: 'no-console-password', breakglass: 'exempt' },
    ],
    [
      'named users: the name overrides the password and exemption rules, not the evaluation',
      { named: ['svc-ci', 'breakglass', 'alice', 'heidi'], noticeBefore: '2099-07-01' },
      ['heidi:required', 'svc-ci:notice', 'breakglass:notice'],
      { alice: 'has-mfa' },
    ],
    ['named users without a date: the unenforced ones get nothing, and say why', { named: ['rupert', 'bob'] }, ['bob:required'], { rupert: 'not-enforced' }],
  ])('%s', (_, selection, written, skipped) => {
    const result = pick(selection);
    expect(result.written).toEqual(written);
    expect(result.skipped).toEqual(skipped);
  });

  it('keeps what the audit knew of access keys and console password', () => {
    const result = pickFromAudit(audit, { statuses: ['pending-enrollment', 'unprotected'], noticeBefore: '2099-07-01', named: ['heidi', 'dave'] }, 'audit.json');
    expect(result.recipients).toEqual([
      { userName: 'heidi', status: 'pending-enrollment', kind: 'required', hasAccessKeys: true, hasConsolePassword: false },
      { userName: 'dave', status: 'unprotected', kind: 'notice', hasAccessKeys: undefined, hasConsolePassword: undefined },
    ]);
  });

  it.each<[Partial<AuditSelection>, RegExp]>([
    [{ named: ['mallory'] }, /^mallory is not in audit.json: check the name, or audit again$/],
    [{ named: ['bob'], exclude: ['bob'] }, /^bob is both asked for and excluded/],
    [{ exclude: ['breakglas'] }, /^breakglas \(to exclude\) is not in audit.json: check the name$/],
    [{ statuses: ['pending'] }, /^status pending is not an audit status: use protected, /],
  ])('refuses %o', (selection, message) => {
    expect(() => pickFromAudit(audit, { statuses: DEFAULT_ONBOARDING_STATUSES, ...selection }, 'audit.json')).toThrow(message);
  });

  it('refuses a file without a users list', () => {
    expect(() => pickFromAudit({ summary: {} }, { statuses: DEFAULT_ONBOARDING_STATUSES }, 'audit.json')).toThrow(/audit.json has no users list/);
  });

  it.each([
    ['2026-02-30', /is not a day as YYYY-MM-DD/],
    ['1 July', /is not a day as YYYY-MM-DD/],
    ['2026-04-30', /is in the past/],
  ])('refuses the notice date %s', (date, message) => {
    expect(() => noticeDate(date, new Date('2026-05-01T12:00:00Z'))).toThrow(message);
  });

  it('takes today as a notice date', () => {
    expect(noticeDate('2026-05-01', new Date('2026-05-01T12:00:00Z'))).toBe('2026-05-01');
  });
});

/** The sample account's audit, as `force-mfa audit --sample --format json` writes it (examples/sample-account/README.md). */
describe('onboard --from-audit on the sample audit', () => {
  const folder = mkdtempSync(join(tmpdir(), 'force-mfa-onboard-'));
  const auditFile = join(folder, 'audit.json');
  writeFileSync(auditFile, runCli(['audit', '--sample', '--format', 'json']).stdout);
  const audit = JSON.parse(readFileSync(auditFile, 'utf8')) as { users: { userName: string; status: string }[] };

  it('picks exactly grace, heidi and ivan (--format json), and lists every other user with a reason', () => {
    const result = runCli(['onboard', '--from-audit', auditFile, '--format', 'json', '--lang', 'en']);
    expect(result.status).toBe(0);
    const written = JSON.parse(result.stdout) as { messages: { userName: string; kind: string }[]; skipped: { userName: string; reason: string; explanation: string }[] };
    expect(written.messages.map((message) => message.userName)).toEqual(['grace', 'heidi', 'ivan']);
    expect(written.messages.every((message) => message.kind === 'required')).toBe(true);
    expect(written.skipped.map((user) => user.userName).sort()).toEqual(
      audit.users.map((user) => user.userName).filter((name) => !['grace', 'heidi', 'ivan'].includes(name)).sort(),
    );
    const reasons = Object.fromEntries(written.skipped.map((user) => [user.userName, user.reason]));
    expect(reasons).toMatchObject({ alice: 'has-mfa', judy: 'has-mfa', breakglass: 'exempt', 'svc-legacy-erp': 'exempt', peggy: 'status-not-picked', 'svc-ci-deploy': 'status-not-picked' });
    for (const user of written.skipped) expect(user.explanation, user.userName).not.toBe('');
    expect(signInUrlFromAudit(audit)).toMatch(/^https:\/\/.+\.signin\.aws\.amazon\.com\/console$/);
    expect(written.messages.every((message) => (message as { signInUrl?: string }).signInUrl === signInUrlFromAudit(audit))).toBe(true);
  });

  it('writes the messages on stdout and the skipped users with their reasons on stderr, in Japanese too', () => {
    const result = runCli(['onboard', '--from-audit', auditFile, '--lang', 'ja']);
    expect(result.status).toBe(0);
    expect([...result.stdout.matchAll(/^(\S+) さん$/gm)].map((match) => match[1])).toEqual(['grace', 'heidi', 'ivan']);
    expect(result.stderr).toContain('案内文を作成しなかったユーザー（27 人）:');
    expect(result.stderr).toContain('  breakglass: 強制の適用除外です（タグ force-mfa:exempt）。名前を指定すれば作成します');
  });

  it('never tells an unenforced user "MFA is now required": with unprotected picked, only a dated notice', () => {
    const noDate = runCli(['onboard', '--from-audit', auditFile, '--status', 'unprotected,unprotected-programmatic', '--lang', 'en']);
    expect(noDate.status).toBe(2);
    expect(noDate.stderr).toContain('  peggy: MFA is not enforced on this user yet (unprotected): give --notice-before DATE to write a notice');
    expect(noDate.stderr).toContain('  svc-ci-deploy: MFA is not enforced (unprotected-programmatic) and the user has no console password');
    expect(noDate.stdout).toBe('');
    const notice = runCli(['onboard', '--from-audit', auditFile, '--status', 'unprotected', '--notice-before', '2099-07-01', '--exclude', 'trent', '--format', 'json', '--lang', 'en']);
    expect(notice.status).toBe(0);
    const written = JSON.parse(notice.stdout) as { messages: { userName: string; kind: string; intro: string; subject: string }[]; skipped: { userName: string; reason: string }[] };
    expect(written.messages.map((message) => `${message.userName}:${message.kind}`)).toEqual(['peggy:notice', 'rupert:notice', 'sybil:notice']);
    for (const message of written.messages) {
      expect(message.subject).toContain('From 2099-07-01: MFA will be required');
      expect(JSON.stringify(message)).not.toMatch(/now requires|are now denied/);
    }
    expect(written.skipped).toContainEqual(expect.objectContaining({ userName: 'trent', reason: 'excluded' }));
  });

  it.each([
    [['--from-audit', 'AUDIT', '--users', 'grace', '--status', 'unprotected'], /^force-mfa: --status unprotected has no effect with --users grace: .*leave out --status, or --users$/m],
    [['--users', 'grace', '--status', 'unprotected'], /^force-mfa: --status unprotected has no effect without --from-audit: .*give --from-audit FILE/m],
    [['--from-audit', 'AUDIT', '--notice-before', '2020-01-01'], /notice date 2020-01-01 is in the past/],
    [['--from-audit', 'AUDIT', '--users', 'nobody'], /nobody is not in .*audit.json/],
    [[], /choose the users with --from-audit FILE/],
  ])('refuses %j with exit 2 and one line', (args, message) => {
    const result = runCli(['onboard', ...args.map((arg) => (arg === 'AUDIT' ? auditFile : arg))]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});

describe.each(['en', 'ja'] as const)('a notice in %s', (language) => {
  const notice = onboardingMessage({ userName: 'rupert', hasAccessKeys: true, hasConsolePassword: true }, ACCOUNT, language, 'work', '2099-07-01');
  const required = onboardingMessage({ userName: 'rupert', hasAccessKeys: true, hasConsolePassword: true }, ACCOUNT, language, 'work');
  const words = { en: { from: 'From 2099-07-01', now: 'now requires', denied: 'are now denied' }, ja: { from: '2099-07-01 から', now: '必須になりました', denied: '今後、アクセスキーだけで' } }[language];

  it('names the day from which MFA will be required, in the subject, the intro and the CLI section', () => {
    expect(notice.kind).toBe('notice');
    expect(notice.subject).toContain('2099-07-01');
    expect(notice.intro).toContain(words.from);
    expect(notice.cli?.beforeCommand).toContain('2099-07-01');
  });

  it('never says MFA is required now, which the required message does', () => {
    const text = renderOnboarding([notice], 'text');
    expect(text).not.toContain(words.now);
    expect(text).not.toContain(words.denied);
    expect(renderOnboarding([required], 'text')).toContain(words.now);
  });

  it('keeps the seed steps, ending with a sign-in to check the device', () => {
    expect(notice.steps.slice(0, 3)).toEqual(required.steps.slice(0, 3));
    expect(notice.steps).toHaveLength(4);
    expect(notice.steps[3]).not.toEqual(required.steps[3]);
  });

  it('for a user without a console password, asks for the administrator before the day', () => {
    const assisted = onboardingMessage({ userName: 'svc', hasAccessKeys: true, hasConsolePassword: false }, ACCOUNT, language, 'work', '2099-07-01');
    expect(assisted.intro).toContain('2099-07-01');
    expect(assisted.intro).not.toContain(words.now);
  });
});

describe('rendering', () => {
  const hostile = onboardingMessage({ userName: '<script>x&y', hasAccessKeys: true, hasConsolePassword: true }, ACCOUNT, 'en', 'a"b');

  it('escapes user data in HTML and links the sign-in URL', () => {
    const html = renderOnboarding([hostile], 'html');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;x&#38;y');
    expect(html).toContain(`<a href="${URL}">${URL}</a>`);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<link|<script|src=/);
  });

  it('titles the HTML page in the language of its messages', () => {
    const japanese = onboardingMessage({ userName: 'bob', hasAccessKeys: false, hasConsolePassword: true }, ACCOUNT, 'ja', 'default');
    expect(renderOnboarding([japanese], 'html')).toMatch(/<html lang="ja">[\s\S]*<title>MFA 設定のご案内<\/title>/);
    expect(renderOnboarding([hostile], 'html')).toContain('<title>MFA setup instructions</title>');
  });

  it('puts one article per user in one HTML page, and separates users in text', () => {
    const other = onboardingMessage({ userName: 'carol', hasAccessKeys: false, hasConsolePassword: true }, ACCOUNT, 'en', 'default');
    expect(renderOnboarding([hostile, other], 'html').match(/<article /g)).toHaveLength(2);
    expect(renderOnboarding([hostile, other], 'text').split('-'.repeat(72))).toHaveLength(2);
  });

  it('renders console labels as bold Markdown and the command as a code block', () => {
    const markdown = renderOnboarding([hostile], 'markdown');
    expect(markdown).toContain('**Security credentials**');
    expect(markdown).toContain('```sh\nforce-mfa session --profile a"b\n```');
    expect(markdown).toContain('\\<script\\>');
  });
});

/**
 * Users without a console password cannot sign in, and the guard denies MFA device changes made with access keys
 * alone: their message asks the administrator for help. Words each step must contain, written here.
 */
const ASSISTED_STEPS: Readonly<Record<OnboardingLanguage, { intro: string; steps: readonly (readonly string[])[]; signInWithOwnPassword: string }>> = {
  en: {
    intro: 'cannot set up MFA by yourself',
    steps: [
      ['Ask your AWS administrator', 'virtual MFA device', 'console password'],
      ['QR code', 'authenticator app', 'two codes in a row', 'enables the device'],
      [URL, 'password your administrator gives you', '"Security credentials"', '"Assign MFA device"', 'sign in again'],
    ],
    signInWithOwnPassword: 'with your password',
  },
  ja: {
    intro: 'ご自身で MFA を設定することはできません',
    steps: [
      ['管理者', '仮想 MFA デバイスの登録', 'パスワードの発行', '依頼してください'],
      ['QR コード', '認証アプリ', '2 つのコード', '管理者に伝えてください', '有効にします'],
      [URL, '管理者から受け取ったパスワード', '「Security credentials」', '「Assign MFA device」', 'もう一度サインイン'],
    ],
    signInWithOwnPassword: '」とパスワードで',
  },
};

describe.each(['en', 'ja'] as const)('a user without a console password, in %s', (language) => {
  const message = onboardingMessage({ userName: 'svc-ci', hasAccessKeys: true, hasConsolePassword: false }, ACCOUNT, language, 'ci');
  const text = renderOnboarding([message], 'text');
  const withPassword = onboardingMessage({ userName: 'svc-ci', hasAccessKeys: true, hasConsolePassword: true }, ACCOUNT, language, 'ci');

  it('says why they cannot set up MFA alone and gives the administrator-assisted steps in order', () => {
    expect(text).toContain(ASSISTED_STEPS[language].intro);
    const steps = [...text.matchAll(/^ {2}(\d)\. (.*)$/gm)];
    expect(steps.map((step) => step[1])).toEqual(['1', '2', '3']);
    ASSISTED_STEPS[language].steps.forEach((markers, index) => {
      for (const marker of markers) expect(steps[index]?.[2]).toContain(marker);
    });
  });

  it('has no step telling them to sign in with their password', () => {
    expect(message.steps).not.toContain(withPassword.steps[0]);
    expect(text).not.toContain(ASSISTED_STEPS[language].signInWithOwnPassword);
    expect(renderOnboarding([withPassword], 'text')).toContain(ASSISTED_STEPS[language].signInWithOwnPassword);
  });

  it('then sends them to force-mfa session for CLI work', () => {
    expect(text.indexOf('force-mfa session --profile ci')).toBeGreaterThan(text.indexOf('  3. '));
  });

  it.each(['markdown', 'html'] as OnboardingFormat[])('renders the assisted steps in %s', (format) => {
    const output = renderOnboarding([message], format);
    expect(output).toContain(message.stepsHeading);
    expect(output).toContain(format === 'html' ? '<strong>Assign MFA device</strong>' : '**Assign MFA device**');
    expect(output).not.toContain('[[');
  });
});

describe.each(['en', 'ja'] as const)('a user whose console password is not known, in %s', (language) => {
  const message = onboardingMessage({ userName: 'bob', hasAccessKeys: false, hasConsolePassword: undefined }, ACCOUNT, language, 'work');
  const text = renderOnboarding([message], 'text');
  const hint = { en: 'If you have no console password, ask your administrator', ja: 'コンソールのパスワードをお持ちでない場合は' }[language];

  it('keeps the seed steps in order and adds one line for users without a password to the sign-in step', () => {
    const steps = [...text.matchAll(/^ {2}(\d)\. (.*)$/gm)];
    expect(steps.map((step) => step[1])).toEqual(['1', '2', '3', '4']);
    SEED_STEPS[language].forEach((markers, index) => {
      for (const marker of markers) expect(steps[index]?.[2]).toContain(marker);
    });
    expect(steps[0]?.[2]).toContain(hint);
    expect(text.split(hint)).toHaveLength(2);
  });

  it('leaves the line out for a user known to have a password', () => {
    const known = onboardingMessage({ userName: 'bob', hasAccessKeys: false, hasConsolePassword: true }, ACCOUNT, language, 'work');
    expect(renderOnboarding([known], 'text')).not.toContain(hint);
  });
});
