/** `enroll` and `unenroll` against moto: plan, apply, a second run that changes nothing, and undo from the log. */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from './support/aws.js';
import { jsonOf, runCli, scratchPath } from './support/cli.js';
import { groupMembers } from './support/iam-read.js';
import { GUARD_GROUP, seedForStatus, seedGuardGroup, seedUser } from './support/seed.js';

interface EnrollJson {
  mode: 'plan' | 'applied';
  changes: { userName: string; action: string }[];
  refusals: { code: string }[];
}

const adds = (report: EnrollJson): string[] => report.changes.filter((change) => change.action === 'add').map((change) => change.userName).sort();
const removals = (report: EnrollJson): string[] => report.changes.filter((change) => change.action === 'remove').map((change) => change.userName).sort();

const MEMBERS_BEFORE = ['alice-protected', 'bob-pending'];
const TO_ADD = ['carol-unprotected', 'dave-keys', 'erin-mfa', 'frank-nothing'];
const { iam } = awsClients();
const log = scratchPath('enroll.jsonl');

describe('enroll and unenroll', () => {
  beforeAll(async () => {
    await seedGuardGroup(iam);
    await seedUser(iam, seedForStatus('protected', 'alice-protected'));
    await seedUser(iam, seedForStatus('pending-enrollment', 'bob-pending'));
    await seedUser(iam, seedForStatus('unprotected', 'carol-unprotected', '/staff/'));
    await seedUser(iam, seedForStatus('unprotected-programmatic', 'dave-keys', '/staff/'));
    await seedUser(iam, { name: 'erin-mfa', password: true, mfa: true });
    await seedUser(iam, seedForStatus('no-credentials', 'frank-nothing'));
    await seedUser(iam, seedForStatus('exempt', 'grace-exempt'));
    await seedUser(iam, { name: 'breakglass', password: true, mfa: true, managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  });

  it('plans every non-member but the excluded and the exempt, and changes nothing', async () => {
    const result = await runCli(['enroll', '--all', '--exclude', 'breakglass', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const plan = jsonOf<EnrollJson>(result);
    expect(plan.mode).toBe('plan');
    expect(adds(plan)).toEqual(TO_ADD);
    expect(plan.refusals).toEqual([]);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(MEMBERS_BEFORE);
    expect(existsSync(log)).toBe(false);
  });

  it('plans by path prefix', async () => {
    const result = await runCli(['enroll', '--path', '/staff/', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(adds(jsonOf<EnrollJson>(result))).toEqual(['carol-unprotected', 'dave-keys']);
  });

  it('--apply adds exactly the plan and logs it', async () => {
    const result = await runCli(['enroll', '--all', '--exclude', 'breakglass', '--apply', '--log', log, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(adds(jsonOf<EnrollJson>(result))).toEqual(TO_ADD);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([...MEMBERS_BEFORE, ...TO_ADD].sort());
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(TO_ADD.length);
  });

  it('a second --apply changes nothing', async () => {
    const logBefore = readFileSync(log, 'utf8');
    const result = await runCli(['enroll', '--all', '--exclude', 'breakglass', '--apply', '--log', log, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(adds(jsonOf<EnrollJson>(result))).toEqual([]);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([...MEMBERS_BEFORE, ...TO_ADD].sort());
    expect(readFileSync(log, 'utf8').startsWith(logBefore)).toBe(true);
  });

  it('unenroll plans the removals of exactly the logged additions, and changes nothing', async () => {
    const result = await runCli(['unenroll', '--log', log, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(removals(jsonOf<EnrollJson>(result))).toEqual(TO_ADD);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual([...MEMBERS_BEFORE, ...TO_ADD].sort());
  });

  it('unenroll --apply restores the group as it was, earlier members kept', async () => {
    const result = await runCli(['unenroll', '--log', log, '--apply', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(removals(jsonOf<EnrollJson>(result))).toEqual(TO_ADD);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(MEMBERS_BEFORE);
  });

  it('unenroll --apply a second time changes nothing', async () => {
    const result = await runCli(['unenroll', '--log', log, '--apply', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(removals(jsonOf<EnrollJson>(result))).toEqual([]);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(MEMBERS_BEFORE);
  });

  it('a missing log is one line and exit 2', async () => {
    const result = await runCli(['unenroll', '--log', scratchPath('absent.jsonl'), '--apply']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/does not exist/);
  });

  it('a user that does not exist is refused before any change', async () => {
    const result = await runCli(['enroll', '--users', 'nobody-here', '--apply', '--log', scratchPath('x.jsonl')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('force-mfa:'))).toHaveLength(1);
    expect(await groupMembers(iam, GUARD_GROUP)).toEqual(MEMBERS_BEFORE);
  });
});
