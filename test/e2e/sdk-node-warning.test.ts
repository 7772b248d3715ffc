/** Live commands against moto print no AWS SDK warning on stderr, whatever the Node version; a user's "false" is kept. */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { runCli } from './support/cli.js';
import { seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

const VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const SDK_WARNS_HERE = Number(process.versions.node.split('.')[0]) < 22;

describe(`the SDK's Node version warning (Node ${process.versions.node})`, () => {
  beforeAll(async () => {
    const { iam } = awsClients();
    await seedGuardGroup(iam);
    await seedUser(iam, seedForStatus('pending-enrollment', 'bob-pending', '/'));
    await seedUser(iam, seedForStatus('unprotected', 'dave-unprotected', '/'));
  });

  it.each([
    { args: ['audit', '--format', 'json'], codes: [0, 1] },
    { args: ['enroll', '--all'], codes: [0, 1] },
    { args: ['verify', '--group', 'ForceMfaAccess'], codes: [0, 1] },
    { args: ['doctor'], codes: [0, 1] },
  ])('force-mfa $args: no SDK warning on stderr', async ({ args, codes }) => {
    const result = await runCli(args, { env: { [VARIABLE]: undefined } });
    expect(codes, result.stderr).toContain(result.code);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stderr).not.toMatch(/\(node:\d+\)/);
  });

  it(`keeps ${VARIABLE}=false set by the user: the SDK's warning ${SDK_WARNS_HERE ? 'shows' : 'would show on Node 20'}`, async () => {
    const result = await runCli(['audit', '--format', 'json'], { env: { [VARIABLE]: 'false' } });
    expect(result.stderr.includes('NodeVersionSupportWarning')).toBe(SDK_WARNS_HERE);
  });
});
