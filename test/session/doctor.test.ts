// `force-mfa doctor` against recorded AWS answers: an AWS-compatible endpoint does not enforce policies, so the
// AccessDenied and InvalidClientTokenId responses below are the ones AWS sends, replayed per access key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerDoctor } from '../../src/cli/commands/doctor.js';
import { denialSource, diagnose, type DoctorEvidence } from '../../src/session/doctor.js';
import { startFakeServer, type FakeServer } from '../support/fake-http-server.js';
import { IAM_NAMESPACE, STS_NAMESPACE, queryError, queryResult, sendXml } from '../support/query-api.js';
import { runInProcess } from '../support/run-command.js';

const ACCOUNT = '123456789012';
const denied = (arn: string, reason: string) => `User: ${arn} is not authorized to perform: iam:GetAccountSummary on resource: * ${reason}`;

interface Caller {
  readonly arn: string;
  /** What IAM answers to GetAccountSummary signed with this key: success, or an error as AWS sends it. */
  readonly summary: 'ok' | { status: number; code: string; message: string };
}

// Keyed by access key id, as the fake sees it in the signature.
const CALLERS: Record<string, Caller> = {
  AKIAALICE00000000000: {
    arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    summary: { status: 403, code: 'AccessDenied', message: denied(`arn:aws:iam::${ACCOUNT}:user/alice`, 'with an explicit deny in an identity-based policy') },
  },
  ASIAALICEMFA00000000: { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, summary: 'ok' },
  ASIAALICENOMFA000000: {
    arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    summary: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid' },
  },
  ASIAROLE000000000000: {
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
    summary: 'ok',
  },
  AKIABOB0000000000000: {
    arn: `arn:aws:iam::${ACCOUNT}:user/deploy/bob`,
    summary: { status: 403, code: 'AccessDenied', message: denied(`arn:aws:iam::${ACCOUNT}:user/deploy/bob`, 'because no identity-based policy allows the iam:GetAccountSummary action') },
  },
  AKIAOLDFORMAT0000000: {
    arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
    summary: { status: 403, code: 'AccessDenied', message: `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: iam:GetAccountSummary` },
  },
};

let server: FakeServer;
let dir: string;
let saved: Record<string, string | undefined>;
const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

beforeAll(async () => {
  server = await startFakeServer((request, body, response) => {
    const action = new URLSearchParams(body).get('Action') ?? '';
    const key = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] ?? '';
    const caller = CALLERS[key];
    if (caller === undefined) return sendXml(response, 403, queryError({ code: 'InvalidClientTokenId', message: 'unknown key' }));
    if (action === 'GetCallerIdentity') {
      return sendXml(response, 200, queryResult(STS_NAMESPACE, action, `<Arn>${caller.arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account>`, 'r1'));
    }
    if (action === 'GetAccountSummary') {
      if (caller.summary === 'ok') return sendXml(response, 200, queryResult(IAM_NAMESPACE, action, '<SummaryMap></SummaryMap>', 'r2'));
      return sendXml(response, caller.summary.status, queryError(caller.summary, IAM_NAMESPACE, 'r3'));
    }
    return sendXml(response, 400, queryError({ code: 'InvalidAction', message: action }));
  });
});

afterAll(async () => {
  await server.close();
});

const profile = (name: string, key: string, extra: string[] = []) =>
  [`[${name}]`, `aws_access_key_id = ${key}`, 'aws_secret_access_key = secret', ...(key.startsWith('ASIA') ? ['aws_session_token = token'] : []), ...extra, ''].join('\n');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'force-mfa-doctor-'));
  const expires = new Date(Date.now() + 3 * 3_600_000 + 90_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  writeFileSync(
    join(dir, 'credentials'),
    [
      profile('work', 'AKIAALICE00000000000'),
      profile('work-mfa', 'ASIAALICEMFA00000000', [`x_security_token_expires = ${expires}`]),
      profile('nomfa', 'ASIAALICENOMFA000000'),
      profile('sso', 'ASIAROLE000000000000'),
      profile('bob', 'AKIABOB0000000000000'),
      profile('old', 'AKIAOLDFORMAT0000000'),
    ].join('\n'),
  );
  writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
  saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, { AWS_ENDPOINT_URL: server.endpoint, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
});

afterEach(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('force-mfa doctor, from recorded answers', () => {
  const cases: [string, number, RegExp][] = [
    [
      'work',
      1,
      /^You are using the long-term access keys of IAM user alice without MFA, and iam:GetAccountSummary was denied with an explicit deny in an identity-based policy: run `force-mfa session --profile work` and use its profile\.$/,
    ],
    ['work-mfa', 0, /^You have an MFA session of IAM user alice, 3h1m left; iam:GetAccountSummary without MFA was allowed\.$/],
    ['nomfa', 1, /^You have a session of IAM user alice without MFA \(IAM refuses its token: .*\): run `force-mfa session --profile SOURCE` with the profile that holds your long-term access keys, and use its profile\.$/],
    ['sso', 0, /^You have a role session of AWSReservedSSO_Admin_0123456789abcdef \(session alice@example\.com, remaining lifetime not known\) from IAM Identity Center; the guard covers IAM users, not roles/],
    ['bob', 1, /^You are using the long-term access keys of IAM user bob, which the guard does not cover \(iam:GetAccountSummary was denied only because no identity-based policy allows it\)\.$/],
    ['old', 1, /^You are using the long-term access keys of IAM user carol; whether the guard covers them is not known/],
  ];
  it.each(cases)('profile %s: exit %i, one sentence', async (name, exitCode, sentence) => {
    const run = await runInProcess([registerDoctor], ['doctor', '--profile', name], { reportErrors: true });
    expect(run.stderr).not.toMatch(/force-mfa:/); // (the SDK may warn about the Node version)
    expect(run.stdout.trimEnd()).toMatch(sentence);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(run.exitCode ?? 0).toBe(exitCode);
  });

  it('no credentials at all: exit 3, one line', async () => {
    const run = await runInProcess([registerDoctor], ['doctor', '--profile', 'absent'], { reportErrors: true });
    expect(run.exitCode).toBe(3);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('force-mfa:'))).toHaveLength(1);
    expect(run.stderr).toMatch(/no AWS credentials found for profile 'absent'/);
  });
});

describe('denialSource', () => {
  const cases: [string, ReturnType<typeof denialSource>][] = [
    [denied('arn:aws:iam::1:user/a', 'with an explicit deny in an identity-based policy'), { kind: 'explicit', policyType: 'identity-based policy' }],
    [
      denied('arn:aws:iam::1:user/a', `with an explicit deny in an identity-based policy: arn:aws:iam::${ACCOUNT}:policy/ForceMfaAccess`),
      { kind: 'explicit', policyType: 'identity-based policy', policyArn: `arn:aws:iam::${ACCOUNT}:policy/ForceMfaAccess` },
    ],
    [denied('arn:aws:iam::1:user/a', 'with an explicit deny in a service control policy'), { kind: 'explicit', policyType: 'service control policy' }],
    [denied('arn:aws:iam::1:user/a', 'with an explicit deny in a permissions boundary'), { kind: 'explicit', policyType: 'permissions boundary' }],
    [denied('arn:aws:iam::1:user/a', 'because no identity-based policy allows the iam:GetAccountSummary action'), { kind: 'implicit', policyType: 'identity-based policy' }],
    ['User: arn:aws:iam::1:user/a is not authorized to perform: iam:GetAccountSummary', { kind: 'unstated' }],
  ];
  it.each(cases)('%s', (message, source) => {
    expect(denialSource(message)).toEqual(source);
  });

  const evidence = (message: string): DoctorEvidence => ({
    callerArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    accessKeyId: 'AKIAALICE00000000000',
    probe: { outcome: 'denied', message },
    sessionCommand: 'force-mfa session',
  });

  it('an explicit deny from an SCP is not the guard: the keys are not covered by it', () => {
    const diagnosis = diagnose(evidence(denied('x', 'with an explicit deny in a service control policy')), new Date());
    expect(diagnosis).toMatchObject({ kind: 'not-covered', identityBasedDeny: false });
    expect(diagnosis.sentence).toContain('explicit deny in a service control policy');
  });

  it('names the policy when AWS names it', () => {
    const diagnosis = diagnose(evidence(denied('x', `with an explicit deny in an identity-based policy: arn:aws:iam::${ACCOUNT}:policy/ForceMfaAccess`)), new Date());
    expect(diagnosis).toMatchObject({ kind: 'long-term-without-mfa', identityBasedDeny: true });
    expect(diagnosis.sentence).toContain(`(arn:aws:iam::${ACCOUNT}:policy/ForceMfaAccess)`);
  });

  it('a user session met by an explicit identity-based deny is not called an MFA session', () => {
    const diagnosis = diagnose(
      { ...evidence(denied('x', 'with an explicit deny in an identity-based policy')), accessKeyId: 'ASIAALICE0000000000', expiration: new Date(Date.now() + 7_200_000) },
      new Date(),
    );
    expect(diagnosis).toMatchObject({ kind: 'unknown', identityBasedDeny: true });
    expect(diagnosis.sentence).toMatch(/either the guard treats it as a session without MFA/);
  });

  it('the root user is never covered by the guard', () => {
    expect(diagnose({ ...evidence('x'), callerArn: `arn:aws:iam::${ACCOUNT}:root`, probe: { outcome: 'allowed' } }, new Date()).kind).toBe('not-covered');
  });
});
