/**
 * A deployed guard group as read back from the account, compared statement by statement with the rendered guard and
 * verified over the whole catalogue (pure): what `deploy` checks after the stack completes and `verify --group` checks
 * on its own.
 */
import type { ActionCatalogue } from '../../engine/catalogue.js';
import type { NamedPolicy } from '../../engine/compile.js';
import { CONTEXT_NAMES } from '../../engine/contexts.js';
import { compareWithExpectation, type Expectation, type ExpectationDifference } from '../../engine/expect.js';
import { verifyPolicies, type VerifyReport } from '../../engine/verify.js';
import { asList, type PolicyDocument } from '../../policy/document.js';

/** What IAM holds for a group: GetGroup, GetGroupPolicy for each inline policy, the attached policies' default versions. */
export interface DeployedGroup {
  readonly groupName: string;
  readonly arn: string;
  readonly inlinePolicies: readonly { readonly policyName: string; readonly document: unknown }[];
  readonly attachedPolicies: readonly { readonly arn: string; readonly document: unknown }[];
}

/** Reads a group from the account; undefined when IAM says it does not exist. */
export interface GroupReader {
  readGroup(groupName: string): Promise<DeployedGroup | undefined>;
}

/** The guard as rendered: the one inline policy the group must hold, and nothing else. */
export interface RenderedGuard {
  readonly groupName: string;
  readonly policyName: string;
  readonly document: PolicyDocument;
}

export interface GroupCheck {
  readonly groupName: string;
  /** Where the group's policies differ from the rendered guard, one line each (empty: as rendered). */
  readonly policyDifferences: readonly string[];
  /** Where the verify report of what was read differs from the rendered guard's (empty: the same). */
  readonly verifyDifferences: readonly ExpectationDifference[];
  /** The exhaustive verify of the policies read from the group. */
  readonly report: VerifyReport;
}

/** The group's policies as the evaluator takes them, named after where they were found. */
export function groupPolicies(group: DeployedGroup): NamedPolicy[] {
  return [
    ...group.inlinePolicies.map((policy) => ({ name: `group ${group.groupName} inline ${policy.policyName}`, document: policy.document })),
    ...group.attachedPolicies.map((policy) => ({ name: policy.arn, document: policy.document })),
  ];
}

/** The account and partition of the group's ARN give the principal to verify with: a user of that account. */
export function principalForGroup(group: DeployedGroup, fallbackPartition: string): string {
  const match = /^arn:([\w-]+):iam::(\d{12}):group\//.exec(group.arn);
  return match === null
    ? `arn:${fallbackPartition}:iam::111122223333:user/alice`
    : `arn:${match[1]}:iam::${match[2]}:user/alice`;
}

const LIST_FIELDS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;
const STATEMENT_FIELDS = ['Sid', 'Effect', ...LIST_FIELDS, 'Condition', 'Principal', 'NotPrincipal'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A statement field in a form where equal meaning compares equal: IAM keeps a policy as it was submitted, so a single
 * string and a one-element list, or two orders of the same list, are the same policy; values are compared as text,
 * as IAM compares them (`true` and `"true"` alike).
 */
function canonicalField(field: string, value: unknown): string {
  if (value === undefined) return '';
  if ((LIST_FIELDS as readonly string[]).includes(field)) return JSON.stringify(asList(value).map(String).sort());
  if (field === 'Condition' && isRecord(value)) {
    const operators = Object.keys(value)
      .sort()
      .map((operator) => {
        const keys = value[operator];
        if (!isRecord(keys)) return [operator, JSON.stringify(keys)];
        return [operator, Object.keys(keys).sort().map((key) => [key, asList(keys[key]).map(String).sort()])];
      });
    return JSON.stringify(operators);
  }
  return JSON.stringify(value);
}

function statementLabel(index: number, statement: unknown): string {
  const sid = isRecord(statement) && typeof statement['Sid'] === 'string' ? ` (${statement['Sid']})` : '';
  return `statement ${index + 1}${sid}`;
}

function sidOf(statement: unknown): string | undefined {
  return isRecord(statement) && typeof statement['Sid'] === 'string' && statement['Sid'] !== '' ? statement['Sid'] : undefined;
}

/**
 * Where a read document differs from the rendered one, statement by statement: statements are paired by Sid (the
 * order of statements does not change what a policy allows), statements without one in their order.
 */
export function statementDifferences(actual: unknown, expected: PolicyDocument, policyLabel: string): string[] {
  if (!isRecord(actual) || actual['Statement'] === undefined) return [`${policyLabel} is not a policy document`];
  const differences: string[] = [];
  if ((actual['Version'] ?? '') !== (expected.Version ?? '')) {
    differences.push(`${policyLabel}: Version is ${JSON.stringify(actual['Version'] ?? null)}, rendered ${JSON.stringify(expected.Version ?? null)}`);
  }
  const read = [...asList(actual['Statement'] as unknown)];
  const unpaired = new Set(read.map((_, index) => index));
  expected.Statement.forEach((want, index) => {
    const sid = sidOf(want);
    const match = [...unpaired].find((at) => (sid === undefined ? sidOf(read[at]) === undefined : sidOf(read[at]) === sid));
    if (match === undefined) {
      differences.push(`${policyLabel}: ${statementLabel(index, want)} of the rendered guard is missing`);
      return;
    }
    unpaired.delete(match);
    const got = read[match];
    if (!isRecord(got)) {
      differences.push(`${policyLabel}: ${statementLabel(index, want)} is not an object`);
      return;
    }
    const fields = [...new Set([...STATEMENT_FIELDS, ...Object.keys(got)])].filter(
      (field) => canonicalField(field, got[field]) !== canonicalField(field, (want as unknown as Record<string, unknown>)[field]),
    );
    if (fields.length > 0) differences.push(`${policyLabel}: ${statementLabel(index, want)} differs in ${fields.join(', ')}`);
  });
  for (const at of unpaired) differences.push(`${policyLabel}: statement ${sidOf(read[at]) ?? `number ${at + 1}`} is not in the rendered guard`);
  return differences;
}

/** Where the group's policies differ from the rendered guard: exactly its one inline policy, nothing attached. */
export function policyDifferences(group: DeployedGroup, guard: RenderedGuard): string[] {
  const differences: string[] = [];
  const inline = group.inlinePolicies.find((policy) => policy.policyName === guard.policyName);
  if (inline === undefined) {
    differences.push(`inline policy ${guard.policyName} is missing`);
  } else {
    differences.push(...statementDifferences(inline.document, guard.document, `inline policy ${guard.policyName}`));
  }
  for (const policy of group.inlinePolicies) {
    if (policy.policyName !== guard.policyName) differences.push(`inline policy ${policy.policyName} is not part of the rendered guard`);
  }
  for (const policy of group.attachedPolicies) differences.push(`attached policy ${policy.arn} is not part of the rendered guard`);
  return differences;
}

/** A verify report as an exact expectation: every context, every allowed action with its own-resources mark. */
export function expectationOf(report: VerifyReport): Expectation {
  const contexts: Record<string, { allowed: { action: string; ownResourcesOnly: boolean }[] }> = {};
  for (const name of CONTEXT_NAMES) {
    contexts[name] = { allowed: report.contexts[name].allowed.map((entry) => ({ action: entry.action, ownResourcesOnly: entry.ownResourcesOnly })) };
  }
  return { contexts } as Expectation;
}

/**
 * Compares the group with the rendered guard and verifies what was read, both with the same principal: the rendered
 * guard's own report is the expectation, so a difference in what the group allows shows even where the documents
 * look alike (an attached policy, a statement that reads differently).
 */
export function checkGroup(group: DeployedGroup, guard: RenderedGuard, catalogue: ActionCatalogue, principalArn: string): GroupCheck {
  const report = verifyGroup(group, catalogue, principalArn);
  const renderedReport = verifyPolicies({ policies: [{ name: guard.policyName, document: guard.document }], principalArn }, catalogue);
  return {
    groupName: group.groupName,
    policyDifferences: policyDifferences(group, guard),
    verifyDifferences: compareWithExpectation(report, expectationOf(renderedReport), catalogue),
    report,
  };
}

/**
 * The exhaustive verify of the group's policies. A group with no policy at all enforces nothing: it is verified as
 * an empty policy (nothing allowed, nothing denied), never refused, so that the summary says what it is.
 */
export function verifyGroup(group: DeployedGroup, catalogue: ActionCatalogue, principalArn: string): VerifyReport {
  const policies = groupPolicies(group);
  const evaluated = policies.length > 0 ? policies : [{ name: `group ${group.groupName} (no policy)`, document: { Version: '2012-10-17', Statement: [] } }];
  return verifyPolicies({ policies: evaluated, principalArn }, catalogue);
}

/**
 * What the report says a member can do without MFA, in figures read from it: e.g. "without MFA 9 action(s) in the
 * console, 3 with access keys alone; nothing on other users' resources".
 */
export function verifiedSummary(report: VerifyReport): string {
  const consoleSession = report.contexts['console-no-mfa'];
  const keys = report.contexts['access-keys'];
  const reaching = [...new Set([...consoleSession.allowed, ...keys.allowed].filter((entry) => !entry.ownResourcesOnly && !entry.accountLevel).map((entry) => entry.action))].sort();
  const reach =
    reaching.length === 0
      ? "nothing on other users' resources"
      : `also on other users' resources: ${reaching.slice(0, 5).join(', ')}${reaching.length > 5 ? ` and ${reaching.length - 5} more` : ''}`;
  return `without MFA ${consoleSession.counts.allowed} action(s) in the console, ${keys.counts.allowed} with access keys alone; ${reach}`;
}

function firstAndCount(lines: readonly string[]): string {
  return `${lines[0] ?? ''}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`;
}

/** One line: the verified summary when the group is as rendered, else what differs first and how much more. */
export function groupCheckLine(check: GroupCheck): { readonly asRendered: boolean; readonly line: string } {
  if (check.policyDifferences.length === 0 && check.verifyDifferences.length === 0) {
    return { asRendered: true, line: `${check.groupName}: policy as rendered; ${verifiedSummary(check.report)}` };
  }
  const verify = check.verifyDifferences.map((difference) => difference.message);
  const parts = [
    ...(check.policyDifferences.length === 0 ? [] : [firstAndCount(check.policyDifferences)]),
    ...(verify.length === 0 ? [] : [`verified, it differs: ${firstAndCount(verify)}`]),
  ];
  return { asRendered: false, line: `group ${check.groupName} is not the rendered guard: ${parts.join('; ')}` };
}
