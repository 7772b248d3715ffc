/**
 * Concrete resources to ask about, per resource type: the caller's own (its user, a device named after it), other
 * users' (with and without a path), a generic instance of the ARN template, and one instance of every resource
 * pattern of the policies that fits the template.
 */
import type { ResourceType } from './catalogue.js';
import type { Principal } from './principal.js';
import type { ResolvedPiece } from './text-pattern.js';

export interface ResourceProbe {
  readonly arn: string;
  /** The resource belongs to the caller: its own user, or an MFA device named after it. */
  readonly own: boolean;
}

/** The resource of actions that take none. */
export const ACCOUNT_PROBE: ResourceProbe = { arn: '*', own: false };

const GENERIC_VALUE = 'force-mfa-probe';
const GENERIC_REGION = 'us-east-1';
/** Resource types whose instances belong to one user. */
const PERSONAL_TYPES = new Set(['iam:user', 'iam:mfa', 'iam:sms-mfa']);

const WILDCARD_ANY = '\u0000';
const WILDCARD_ONE = '\u0001';

function otherUserName(principal: Principal): string {
  return principal.name === 'bob' ? 'carol' : 'bob';
}

/** Fills the ARN template with the caller's partition and account and a generic name. */
export function genericArn(type: ResourceType, principal: Principal): string {
  return type.arnTemplate.replace(/\$\{([^}]+)\}/g, (_, variable: string) => {
    if (variable === 'Partition') return principal.partition;
    if (variable === 'Region') return GENERIC_REGION;
    if (variable === 'Account' || variable === 'AccountId') return principal.account;
    return GENERIC_VALUE;
  });
}

/** The caller's own user (exactly its ARN), or an MFA device named after it (any path). */
export function isOwnResource(arn: string, principal: Principal): boolean {
  if (principal.kind !== 'user') return false;
  if (arn === principal.arn) return true;
  const prefix = `arn:${principal.partition}:iam::${principal.account}:`;
  if (!arn.startsWith(prefix)) return false;
  const resource = arn.slice(prefix.length);
  const kind = resource.slice(0, resource.indexOf('/'));
  if (kind !== 'mfa' && kind !== 'sms-mfa') return false;
  return resource.slice(resource.lastIndexOf('/') + 1) === principal.name;
}

/**
 * A user ARN with the caller's name but another path cannot exist (user names are unique in an account): asking
 * about it would report permissions on a phantom resource.
 */
export function isImpossibleResource(arn: string, principal: Principal): boolean {
  if (principal.kind !== 'user' || arn === principal.arn) return false;
  const prefix = `arn:${principal.partition}:iam::${principal.account}:user/`;
  return arn.startsWith(prefix) && arn.slice(arn.lastIndexOf('/') + 1) === principal.name;
}

/** The probes every verify asks about for a type, whatever the policies say. */
export function baseProbes(type: ResourceType, principal: Principal): ResourceProbe[] {
  const generic = genericArn(type, principal);
  const probes: ResourceProbe[] = [{ arn: generic, own: isOwnResource(generic, principal) }];
  const key = `${type.service}:${type.name.toLowerCase()}`;
  if (!PERSONAL_TYPES.has(key)) return probes;
  const base = `arn:${principal.partition}:iam::${principal.account}:${type.name.toLowerCase()}/`;
  const other = otherUserName(principal);
  if (principal.kind === 'user') {
    probes.push({ arn: key === 'iam:user' ? principal.arn : `${base}${principal.name}`, own: true });
  }
  probes.push({ arn: `${base}${other}`, own: false });
  probes.push({ arn: `${base}dev/${other}`, own: false });
  return probes;
}

const templateRegexes = new WeakMap<ResourceType, RegExp>();

/**
 * Whether an ARN can be an instance of the type. Deliberately lenient (a variable of the resource part matches any
 * text, `/` included): a probe that fits a type it could not really be may over-report, never hide, an allowed action.
 */
export function fitsTemplate(arn: string, type: ResourceType): boolean {
  let regex = templateRegexes.get(type);
  if (regex === undefined) {
    const parts = type.arnTemplate.split(/(\$\{[^}]+\})/);
    let source = '';
    let colons = 0;
    for (const part of parts) {
      if (part.startsWith('${')) {
        source += colons < 5 ? '[^:]*' : '.+';
      } else {
        source += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        colons += part.split(':').length - 1;
      }
    }
    regex = new RegExp(`^${source}$`, 's');
    templateRegexes.set(type, regex);
  }
  return regex.test(arn);
}

/** The resolved pattern as text with its wildcards marked, so literal `*` (from `${*}`) stays literal. */
export function markWildcards(pieces: readonly ResolvedPiece[]): string {
  return pieces
    .map((piece) => (piece.kind === 'literal' ? piece.text : piece.text.replace(/\*/g, WILDCARD_ANY).replace(/\?/g, WILDCARD_ONE)))
    .join('');
}

function splitArn(text: string): string[] {
  const parts = text.split(':');
  return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function segmentMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === WILDCARD_ANY ? '.*' : char === WILDCARD_ONE ? '.' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

const hasMarks = (text: string): boolean => text.includes(WILDCARD_ANY) || text.includes(WILDCARD_ONE);

/**
 * One instance of a resource pattern (wildcards marked) as a resource of this type, or undefined when the pattern
 * cannot name such a resource. Wildcards of the first segments take the generic ARN's values; those of the resource
 * part are filled with a generic name, then with the generic resource part.
 */
export function instantiatePattern(marked: string, type: ResourceType, principal: Principal): ResourceProbe | undefined {
  if (!marked.startsWith('arn:')) return undefined;
  const generic = splitArn(genericArn(type, principal));
  const pattern = splitArn(marked);
  const head: string[] = [];
  for (let index = 0; index < 5; index += 1) {
    const segment = pattern[index];
    const genericSegment = generic[index] ?? '';
    if (segment === undefined) head.push(genericSegment);
    else if (!hasMarks(segment)) head.push(segment);
    else if (segmentMatches(segment, genericSegment)) head.push(genericSegment);
    else head.push(segment.split(WILDCARD_ANY).join('').split(WILDCARD_ONE).join('0'));
  }
  const genericResource = generic[5] ?? '';
  const resourcePart = pattern[5];
  const candidates =
    resourcePart === undefined
      ? [genericResource]
      : hasMarks(resourcePart)
        ? [GENERIC_VALUE, genericResource].map((fill) => resourcePart.split(WILDCARD_ANY).join(fill).split(WILDCARD_ONE).join('x'))
        : [resourcePart];
  for (const candidate of candidates) {
    const arn = `${head.join(':')}:${candidate}`;
    if (fitsTemplate(arn, type) && !isImpossibleResource(arn, principal)) return { arn, own: isOwnResource(arn, principal) };
  }
  return undefined;
}

/** The service segment of an ARN, or undefined for `*` and other non-ARN text. */
export function arnService(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const start = arn.indexOf(':', 4) + 1;
  const end = arn.indexOf(':', start);
  return start === 0 || end < 0 ? undefined : arn.slice(start, end);
}
