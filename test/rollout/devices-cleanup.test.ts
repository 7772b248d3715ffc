import { describe, expect, it } from 'vitest';
import { applyCleanup, planCleanup, type DeviceIam, type ListedDevice } from '../../src/rollout/devices-cleanup.js';
import { assertDevicesLogAccount, readDevicesLog, type DevicesLogLine } from '../../src/rollout/devices-log.js';
import { isForceMfaError } from '../../src/errors.js';

const ACCOUNT = '123456789012';
const CALLER = `arn:aws:iam::${ACCOUNT}:user/admin`;
const NOW = new Date('2025-06-10T00:00:00Z');
const serial = (name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:mfa/${name}`;
const device = (name: string, extra: Partial<ListedDevice> = {}): ListedDevice => ({ serialNumber: serial(name), userArn: undefined, enabledAt: undefined, ...extra });
const plan = (devices: readonly ListedDevice[], olderThanDays = 7) => planCleanup(devices, { accountId: ACCOUNT, caller: CALLER, olderThanDays, now: NOW });

describe('planCleanup', () => {
  it.each([
    ['no date: age unknown, kept', device('a'), 7, 'age-unknown'],
    ['no date, cutoff 0: every device is at least 0 days old', device('a'), 0, 'delete'],
    ['enabled 9 days ago: at least 9 days old', device('a', { enabledAt: '2025-06-01T00:00:00.000Z' }), 7, 'delete'],
    ['enabled 3 days ago: too recent', device('a', { enabledAt: '2025-06-07T00:00:00.000Z' }), 7, 'too-recent'],
    ['listed with a user: never touched, whatever the cutoff', device('a', { userArn: `arn:aws:iam::${ACCOUNT}:user/a` }), 0, 'assigned'],
    ["another account's serial: never touched", { ...device('a'), serialNumber: serial('a', '999999999999') }, 0, 'not-this-account'],
    ['a serial that is no virtual device ARN', { ...device('a'), serialNumber: 'GAHT12345678' }, 0, 'not-this-account'],
  ] as const)('%s', (_name, listed, days, expected) => {
    const result = plan([listed], days);
    if (expected === 'delete') {
      expect(result.toDelete.map((entry) => entry.serialNumber)).toEqual([listed.serialNumber]);
      expect(result.skipped).toEqual([]);
    } else {
      expect(result.toDelete).toEqual([]);
      expect(result.skipped.map((entry) => entry.reason)).toEqual([expected]);
    }
  });
});

/** An IAM of virtual devices in memory, with hooks that run before each call (to change the world meanwhile). */
function memoryDevices(initial: ListedDevice[], hooks: { beforeList?: (assignment: string, count: number) => void; delete?: (serialNumber: string) => void } = {}) {
  const devices = new Map(initial.map((entry) => [entry.serialNumber, entry]));
  const calls: string[] = [];
  let lists = 0;
  const iam: DeviceIam = {
    async listVirtualDevices(assignment) {
      calls.push(`list ${assignment}`);
      hooks.beforeList?.(assignment, ++lists);
      const all = [...devices.values()];
      return assignment === 'Any' ? all : all.filter((entry) => entry.userArn === undefined);
    },
    async deleteVirtualDevice(serialNumber) {
      calls.push(`delete ${serialNumber}`);
      if (hooks.delete !== undefined) return hooks.delete(serialNumber);
      if (devices.get(serialNumber)?.userArn !== undefined) throw Object.assign(new Error('in use'), { name: 'DeleteConflictException' });
      if (!devices.delete(serialNumber)) throw Object.assign(new Error('no such device'), { name: 'NoSuchEntityException' });
    },
  };
  return { iam, devices, calls };
}

function memoryLog() {
  const lines: DevicesLogLine[] = [];
  return { lines, log: { append: (line: DevicesLogLine) => void lines.push(line) } };
}

describe('applyCleanup', () => {
  it('deletes the planned devices, each between an intent and a done line, after re-checking it is still unassigned', async () => {
    const world = memoryDevices([device('a'), device('b'), device('held', { userArn: `arn:aws:iam::${ACCOUNT}:user/held` })]);
    const { lines, log } = memoryLog();
    const planned = plan(await world.iam.listVirtualDevices('Unassigned'), 0);
    const results = await applyCleanup(planned, { iam: world.iam, log, now: () => NOW, runId: 'run-1' });
    expect(results).toEqual([
      { serialNumber: serial('a'), outcome: 'deleted' },
      { serialNumber: serial('b'), outcome: 'deleted' },
    ]);
    expect([...world.devices.keys()]).toEqual([serial('held')]);
    expect(world.calls.slice(1)).toEqual(['list Unassigned', `delete ${serial('a')}`, 'list Unassigned', `delete ${serial('b')}`]);
    expect(lines.map((line) => [line.phase, line.serialNumber ?? null])).toEqual([
      ['plan', null],
      ['intent', serial('a')],
      ['done', serial('a')],
      ['intent', serial('b')],
      ['done', serial('b')],
    ]);
    expect(lines.every((line) => line.accountId === ACCOUNT && line.by === CALLER && line.runId === 'run-1')).toBe(true);
  });

  it('leaves alone a device assigned since the plan (found by the re-check), and one deleted by someone else', async () => {
    const world = memoryDevices([device('a'), device('b')], {
      beforeList: (_assignment, count) => {
        if (count !== 2) return;
        // Between the plan and the first deletion: a is enabled for its user, b deleted elsewhere.
        world.devices.set(serial('a'), device('a', { userArn: `arn:aws:iam::${ACCOUNT}:user/a` }));
        world.devices.delete(serial('b'));
      },
    });
    const { lines, log } = memoryLog();
    const planned = plan(await world.iam.listVirtualDevices('Unassigned'), 0);
    const results = await applyCleanup(planned, { iam: world.iam, log });
    expect(results.map((result) => result.outcome)).toEqual(['assigned-since-plan', 'gone-before']);
    expect(world.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    expect(world.devices.has(serial('a'))).toBe(true);
    expect(lines.filter((line) => line.phase === 'skipped').map((line) => line.reason)).toEqual(['assigned-since-plan', 'gone-before']);
  });

  it('a lost answer counts as done only once a re-read shows the device gone', async () => {
    const world = memoryDevices([device('a')], {
      delete: (serialNumber) => {
        world.devices.delete(serialNumber);
        throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
      },
    });
    const { lines, log } = memoryLog();
    const results = await applyCleanup(plan(await world.iam.listVirtualDevices('Unassigned'), 0), { iam: world.iam, log });
    expect(results).toEqual([{ serialNumber: serial('a'), outcome: 'deleted-confirmed' }]);
    expect(lines.at(-1)).toMatchObject({ phase: 'done', confirmedBy: 'ListVirtualMFADevices' });
  });

  it('a lost answer with the device still there is a failure: logged, exit 3, the rest not attempted', async () => {
    const world = memoryDevices([device('a'), device('b')], {
      delete: () => {
        throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
      },
    });
    const { lines, log } = memoryLog();
    const error = await applyCleanup(plan(await world.iam.listVirtualDevices('Unassigned'), 0), { iam: world.iam, log }).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toMatch(/could not delete virtual MFA device .*mfa\/a .*TimeoutError.*run the cleanup again/);
    expect(lines.map((line) => line.phase)).toEqual(['plan', 'intent', 'failed']);
    expect(world.devices.size).toBe(2);
  });

  it('a device assigned between the re-check and the call (DeleteConflict) is left alone, not reported failed', async () => {
    const world = memoryDevices([device('a')], {
      delete: (serialNumber) => {
        world.devices.set(serialNumber, device('a', { userArn: `arn:aws:iam::${ACCOUNT}:user/a` }));
        throw Object.assign(new Error('in use'), { name: 'DeleteConflictException' });
      },
    });
    const { log } = memoryLog();
    const results = await applyCleanup(plan(await world.iam.listVirtualDevices('Unassigned'), 0), { iam: world.iam, log });
    expect(results).toEqual([{ serialNumber: serial('a'), outcome: 'assigned-since-plan' }]);
    expect(world.devices.get(serial('a'))?.userArn).toBeDefined();
  });

  it('writes nothing when there is nothing to delete', async () => {
    const { lines, log } = memoryLog();
    expect(await applyCleanup(plan([device('a')], 7), { iam: memoryDevices([]).iam, log })).toEqual([]);
    expect(lines).toEqual([]);
  });
});

describe('the device cleanup log', () => {
  const line = (accountId: string, phase = 'plan') => JSON.stringify({ version: 1, time: NOW.toISOString(), runId: 'r', accountId, by: CALLER, phase });
  it('refuses a log of another account before any deletion (exit 2)', () => {
    const { entries } = readDevicesLog(`${line(ACCOUNT)}\n${line('999999999999')}\n`, 'devices.jsonl');
    const error = (() => {
      try {
        assertDevicesLogAccount(entries, ACCOUNT, 'devices.jsonl');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isForceMfaError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toContain('account 999999999999');
    expect(() => assertDevicesLogAccount(readDevicesLog(`${line(ACCOUNT)}\n`, 'x').entries, ACCOUNT, 'x')).not.toThrow();
  });

  it('skips a line cut short by a crash and refuses any other unreadable line', () => {
    expect(readDevicesLog(`${line(ACCOUNT)}\n{"version":1,"ti`, 'x').warnings).toHaveLength(1);
    expect(() => readDevicesLog(`${line(ACCOUNT)}\n{"version":1,"ti\n`, 'x')).toThrow(/line 2 is not JSON/);
    expect(() => readDevicesLog(`${JSON.stringify({ version: 1, phase: 'add' })}\n`, 'x')).toThrow(/not a device cleanup log entry/);
    expect(() => readDevicesLog(`${JSON.stringify({ version: 2 })}\n`, 'x')).toThrow(/cannot read: use a newer force-mfa/);
  });
});
