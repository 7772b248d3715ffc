/**
 * The Security Hub edge against a hub that behaves as AWS documents (aws-sdk-client-mock): GetFindings filters,
 * BatchImportFindings ignores Workflow on a finding it knows and resets RESOLVED to NEW when a finding comes back,
 * BatchUpdateFindings sets the workflow. moto has no BatchUpdateFindings and ignores filters, hence this test.
 */
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type BatchImportFindingsCommandInput,
  type BatchUpdateFindingsCommandInput,
  type GetFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SECURITY_HUB_BATCH } from '../../src/account/aws/security-hub.js';
import { syncSecurityHub, type SyncOptions } from '../../src/rollout/security-hub-sync.js';
import { syncLines } from '../../src/cli/commands/audit-security-hub.js';
import { isForceMfaError } from '../../src/errors.js';
import { asffProductArn, type AsffFinding } from '../../src/render/audit-asff.js';

const ACCOUNT = '123456789012';
const PRODUCT = asffProductArn('aws', 'eu-west-1', ACCOUNT);
const AT_1 = '2025-03-01T12:00:00.000Z';
const AT_2 = '2025-03-02T12:00:00.000Z';
const hubMock = mockClient(SecurityHubClient);
const client = new SecurityHubClient({ region: 'eu-west-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
const noWait = { sleep: async () => undefined };

function options(auditedAt: string): SyncOptions {
  return { productArn: PRODUCT, accountId: ACCOUNT, region: 'eu-west-1', auditedAt, resolvedNote: 'resolved by the test', retry: noWait };
}

function finding(user: string, at: string): AsffFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: `force-mfa/${ACCOUNT}/user/AIDA${user.toUpperCase()}/mfa`,
    ProductArn: PRODUCT,
    ProductName: 'force-mfa',
    GeneratorId: 'force-mfa/user-mfa',
    AwsAccountId: ACCOUNT,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    CreatedAt: at,
    UpdatedAt: at,
    FirstObservedAt: at,
    LastObservedAt: at,
    Severity: { Label: 'HIGH', Original: 'unprotected' },
    Title: `IAM user ${user}: unprotected`,
    Description: 'Console password, no MFA, not enforced.',
    ProductFields: { 'force-mfa/UserName': user, 'force-mfa/Status': 'unprotected' },
    Resources: [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/${user}`, Partition: 'aws', Region: 'eu-west-1' }],
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  };
}

/** A hub as AWS documents it, keyed by Id + ProductArn. */
class DocumentedHub {
  readonly findings = new Map<string, AwsSecurityFinding>();
  /** Items to refuse, by Id, with an error code, a number of times. */
  readonly refuse = new Map<string, { code: string; times: number }>();

  install(): void {
    hubMock.on(GetFindingsCommand).callsFake((input: GetFindingsCommandInput) => this.get(input));
    hubMock.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => this.import(input));
    hubMock.on(BatchUpdateFindingsCommand).callsFake((input: BatchUpdateFindingsCommandInput) => this.update(input));
  }

  private get(input: GetFindingsCommandInput) {
    const matches = (finding: AwsSecurityFinding, filters: AwsSecurityFindingFilters | undefined): boolean =>
      (filters?.ProductArn ?? []).every((filter) => finding.ProductArn === filter.Value) &&
      (filters?.AwsAccountId ?? []).every((filter) => finding.AwsAccountId === filter.Value) &&
      (filters?.GeneratorId ?? []).every((filter) => (filter.Comparison === 'PREFIX' ? finding.GeneratorId?.startsWith(filter.Value ?? '') : finding.GeneratorId === filter.Value));
    const all = [...this.findings.values()].filter((finding) => matches(finding, input.Filters));
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const size = input.MaxResults ?? 100;
    const next = start + size < all.length ? String(start + size) : undefined;
    return { Findings: structuredClone(all.slice(start, start + size)), ...(next === undefined ? {} : { NextToken: next }) };
  }

  private import(input: BatchImportFindingsCommandInput) {
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    if ((input.Findings ?? []).length > 100) throw Object.assign(new Error('too many'), { name: 'InvalidInputException' });
    for (const incoming of input.Findings ?? []) {
      const refusal = this.refuse.get(incoming.Id ?? '');
      if (refusal !== undefined && refusal.times > 0) {
        refusal.times--;
        failed.push({ Id: incoming.Id ?? '', ErrorCode: refusal.code, ErrorMessage: 'refused by the test' });
        continue;
      }
      const key = `${incoming.ProductArn}|${incoming.Id}`;
      const before = this.findings.get(key);
      if (before === undefined) {
        this.findings.set(key, structuredClone(incoming));
        continue;
      }
      // Workflow is the customer's once a finding exists; a finding archived and then active again is NEW.
      const { Workflow: _ignored, ...rest } = incoming;
      const reset = before.RecordState === 'ARCHIVED' && incoming.RecordState === 'ACTIVE' && ['NOTIFIED', 'RESOLVED'].includes(before.Workflow?.Status ?? '');
      this.findings.set(key, { ...structuredClone(rest), Workflow: reset ? { Status: 'NEW' } : before.Workflow });
    }
    return { FailedCount: failed.length, SuccessCount: (input.Findings ?? []).length - failed.length, FailedFindings: failed };
  }

  private update(input: BatchUpdateFindingsCommandInput) {
    for (const identifier of input.FindingIdentifiers ?? []) {
      const found = this.findings.get(`${identifier.ProductArn}|${identifier.Id}`);
      if (found !== undefined) {
        found.Workflow = { Status: input.Workflow?.Status };
        if (input.Note !== undefined) found.Note = { Text: input.Note.Text, UpdatedBy: input.Note.UpdatedBy, UpdatedAt: AT_2 };
      }
    }
    return { ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] };
  }

  state(user: string) {
    const found = this.findings.get(`${PRODUCT}|${finding(user, AT_1).Id}`);
    return { record: found?.RecordState, workflow: found?.Workflow?.Status, compliance: found?.Compliance?.Status, note: found?.Note?.Text };
  }
}

let hub: DocumentedHub;
beforeEach(() => {
  hubMock.reset();
  hub = new DocumentedHub();
  hub.install();
});

describe('syncSecurityHub on a hub that behaves as documented', () => {
  it('resolves a finding no longer produced: archived, PASSED, and Workflow RESOLVED through BatchUpdateFindings', async () => {
    await syncSecurityHub(client, [finding('bob', AT_1), finding('dave', AT_1)], options(AT_1));
    const second = await syncSecurityHub(client, [finding('bob', AT_2)], options(AT_2));
    expect(second).toMatchObject({ created: 0, resolved: 1, reopened: 0, failed: [] });
    expect(hub.state('dave')).toEqual({ record: 'ARCHIVED', workflow: 'RESOLVED', compliance: 'PASSED', note: 'resolved by the test' });
    expect(hub.state('bob')).toMatchObject({ record: 'ACTIVE', workflow: 'NEW' });
    const updates = hubMock.commandCalls(BatchUpdateFindingsCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      { FindingIdentifiers: [{ Id: finding('dave', AT_1).Id, ProductArn: PRODUCT }], Workflow: { Status: 'RESOLVED' }, Note: { Text: 'resolved by the test', UpdatedBy: 'force-mfa' } },
    ]);
    // A third run: nothing left to resolve, no workflow call.
    await syncSecurityHub(client, [finding('bob', '2025-03-03T12:00:00.000Z')], options('2025-03-03T12:00:00.000Z'));
    expect(hubMock.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(1);
  });

  it('keeps CreatedAt of the first import, and brings a resolved finding back NEW when it returns', async () => {
    await syncSecurityHub(client, [finding('dave', AT_1)], options(AT_1));
    await syncSecurityHub(client, [], options(AT_2));
    expect(hub.state('dave').workflow).toBe('RESOLVED');
    const back = await syncSecurityHub(client, [finding('dave', '2025-03-03T12:00:00.000Z')], options('2025-03-03T12:00:00.000Z'));
    expect(back).toMatchObject({ reopened: 1, failed: [] });
    expect(hub.state('dave')).toMatchObject({ record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED' });
    expect([...hub.findings.values()][0]?.CreatedAt).toBe(AT_1);
  });

  it('sends at most 100 findings a call', async () => {
    const many = Array.from({ length: 250 }, (_, index) => finding(`user${index}`, AT_1));
    const result = await syncSecurityHub(client, many, options(AT_1));
    expect(hubMock.commandCalls(BatchImportFindingsCommand).map((call) => call.args[0].input.Findings?.length)).toEqual([100, 100, 50]);
    expect(result).toMatchObject({ imported: 250, created: 250, failed: [] });
    expect(SECURITY_HUB_BATCH).toBe(100);
  });

  it('sends refused items again, only them, and reports the ones still refused after the bounded retries', async () => {
    hub.refuse.set(finding('bob', AT_1).Id, { code: 'ThrottlingException', times: 2 });
    hub.refuse.set(finding('carol', AT_1).Id, { code: 'InternalException', times: 99 });
    hub.refuse.set(finding('erin', AT_1).Id, { code: 'InvalidInput', times: 99 });
    const result = await syncSecurityHub(client, ['alice', 'bob', 'carol', 'erin'].map((user) => finding(user, AT_1)), options(AT_1));
    const sent = hubMock.commandCalls(BatchImportFindingsCommand).map((call) => (call.args[0].input.Findings ?? []).map((item) => item.ProductFields?.['force-mfa/UserName']));
    expect(sent).toEqual([['alice', 'bob', 'carol', 'erin'], ['bob', 'carol'], ['bob', 'carol'], ['carol']]);
    expect(result.imported).toBe(2);
    expect(result.failed.map((item) => [item.id, item.code])).toEqual([
      [finding('erin', AT_1).Id, 'InvalidInput'],
      [finding('carol', AT_1).Id, 'InternalException'],
    ]);
    expect(syncLines(result)).toEqual([
      `force-mfa: Security Hub ${ACCOUNT} eu-west-1: 2 finding(s) imported (4 new), 0 resolved, 2 failed`,
      `force-mfa: Security Hub ${ACCOUNT} eu-west-1: not accepted: ${finding('erin', AT_1).Id} (InvalidInput) refused by the test`,
      `force-mfa: Security Hub ${ACCOUNT} eu-west-1: not accepted: ${finding('carol', AT_1).Id} (InternalException) refused by the test`,
    ]);
  });

  it('retries a throttled call, and says in one line that the hub is not enabled', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    hubMock.on(BatchImportFindingsCommand).rejectsOnce(throttled).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    expect((await syncSecurityHub(client, [finding('bob', AT_1)], options(AT_1))).failed).toEqual([]);
    expect(hubMock.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);

    hubMock.on(GetFindingsCommand).rejects(Object.assign(new Error('Account 123456789012 is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' }));
    const error = await syncSecurityHub(client, [finding('bob', AT_1)], options(AT_1)).catch((caught: unknown) => caught);
    expect(isForceMfaError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toBe(
      'Security Hub is not enabled in account 123456789012, region eu-west-1: enable it (aws securityhub enable-security-hub --region eu-west-1) or name the hub\'s region with --region',
    );
  });

  it('never touches findings of other products, generators or accounts, nor a finding a newer audit wrote', async () => {
    const foreign = [
      { ...finding('x', AT_1), Id: 'inspector/1', GeneratorId: 'aws-inspector', ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/inspector' },
      { ...finding('y', AT_1), Id: 'mine-but-not-force-mfa', GeneratorId: 'my-scanner' },
    ];
    for (const item of foreign) hub.findings.set(`${item.ProductArn}|${item.Id}`, structuredClone(item) as AwsSecurityFinding);
    await syncSecurityHub(client, [finding('bob', AT_2)], options(AT_2));
    // An audit that ran before (older data) must neither resolve bob nor overwrite him.
    const older = await syncSecurityHub(client, [], options(AT_1));
    expect(older).toMatchObject({ resolved: 0, newerInHub: 1 });
    expect(hub.state('bob')).toMatchObject({ record: 'ACTIVE', workflow: 'NEW' });
    const touched = hubMock.commandCalls(BatchImportFindingsCommand).flatMap((call) => (call.args[0].input.Findings ?? []).map((item) => item.Id));
    expect(touched).toEqual([finding('bob', AT_2).Id]);
    expect(hubMock.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
  });

  it('leaves a finding the customer suppressed suppressed', async () => {
    await syncSecurityHub(client, [finding('dave', AT_1)], options(AT_1));
    const stored = [...hub.findings.values()][0] as AwsSecurityFinding;
    stored.Workflow = { Status: 'SUPPRESSED' };
    await syncSecurityHub(client, [], options(AT_2));
    expect(hub.state('dave')).toMatchObject({ record: 'ARCHIVED', workflow: 'SUPPRESSED' });
    expect(hubMock.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
  });
});
