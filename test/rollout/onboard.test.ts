// The onboarding messages: the seed's steps in both languages, in order, in every format; recipients; escaping.
import { describe, expect, it } from 'vitest';
import {
  accountSignInFromUrl,
  onboardingMessage,
  recipientsFromAudit,
  signInUrlFromAudit,
  signInUrlOf,
  STATUSES_NEEDING_ONBOARDING,
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

  it.each([true, false, undefined])('is polite (です/ます) in every sentence of the steps (console password: %s)', (hasConsolePassword) => {
    const variant = onboardingMessage({ userName: 'bob', hasAccessKeys: undefined, hasConsolePassword }, ACCOUNT, 'ja', 'default');
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

describe('recipients from an audit', () => {
  const audit = {
    users: [
      { userName: 'alice', status: 'protected' },
      { userName: 'bob', status: 'pending-enrollment', consolePassword: { enabled: true, lastUsedAt: null }, accessKeys: { active: 0, lastUsedAt: null, idSuffixes: [] } },
      { userName: 'carol', status: 'unprotected-programmatic', consolePassword: { enabled: false, lastUsedAt: null }, accessKeys: { active: 1, lastUsedAt: null, idSuffixes: ['WXYZ'] } },
      { userName: 'dave', status: 'unprotected', consolePassword: { enabled: null, lastUsedAt: null }, accessKeys: { active: null, lastUsedAt: null, idSuffixes: [] } },
      { userName: 'heidi', status: 'pending-enrollment', consolePassword: { enabled: false, lastUsedAt: null }, accessKeys: { active: 1, lastUsedAt: null, idSuffixes: ['ABCD'] } },
      { userName: 'ivan', status: 'unprotected-programmatic' },
      { userName: 'erin', status: 'exempt' },
    ],
  };

  it('picks the users who still have to set up MFA, with what is known of their access keys and console password', () => {
    expect(recipientsFromAudit(audit, STATUSES_NEEDING_ONBOARDING, 'audit.json')).toEqual([
      { userName: 'bob', hasAccessKeys: false, hasConsolePassword: true },
      { userName: 'carol', hasAccessKeys: true, hasConsolePassword: false },
      { userName: 'dave', hasAccessKeys: undefined, hasConsolePassword: undefined },
      { userName: 'heidi', hasAccessKeys: true, hasConsolePassword: false },
      { userName: 'ivan', hasAccessKeys: true, hasConsolePassword: false },
    ]);
  });

  it('reads the JSON that force-mfa audit really writes (users with and without keys, and the sign-in URL)', () => {
    const result = runCli(['audit', '--sample', '--json']);
    const written = JSON.parse(result.stdout) as { users: { userName: string; accessKeys: { active: number | null } }[] };
    const recipients = recipientsFromAudit(written, ['pending-enrollment', 'unprotected', 'unprotected-programmatic', 'exempt'], 'audit.json');
    expect(recipients.length).toBeGreaterThan(3);
    for (const recipient of recipients) {
      const active = written.users.find((user) => user.userName === recipient.userName)?.accessKeys.active;
      expect(recipient.hasAccessKeys, recipient.userName).toBe(typeof active === 'number' ? active > 0 : undefined);
    }
    expect(recipients.some((recipient) => recipient.hasAccessKeys === false)).toBe(true);
    expect(recipients.some((recipient) => recipient.hasAccessKeys === true)).toBe(true);
    expect(signInUrlFromAudit(written)).toMatch(/^https:\/\/.+\.signin\.aws\.amazon\.com\/console$/);
  });

  it('gives each user picked from the JSON of `audit --sample` the console password the audit recorded', () => {
    const result = runCli(['audit', '--sample', '--json']);
    type AuditUser = { userName: string; status: string; consolePassword: { enabled: boolean | null } };
    const written = JSON.parse(result.stdout) as { users: AuditUser[] };
    const recipients = recipientsFromAudit(written, [...STATUSES_NEEDING_ONBOARDING, 'unknown'], 'audit.json');
    expect(recipients.length).toBeGreaterThan(3);
    for (const recipient of recipients) {
      const user = written.users.find((candidate) => candidate.userName === recipient.userName);
      const expected = user?.status === 'unprotected-programmatic' ? false : (user?.consolePassword.enabled ?? undefined);
      expect(recipient.hasConsolePassword, recipient.userName).toBe(expected);
    }
    expect(new Set(recipients.map((recipient) => recipient.hasConsolePassword))).toEqual(new Set([true, false, undefined]));
  });

  it('refuses a file without a users list', () => {
    expect(() => recipientsFromAudit({ summary: {} }, STATUSES_NEEDING_ONBOARDING, 'audit.json')).toThrow(/audit.json has no users list/);
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
