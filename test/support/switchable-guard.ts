// The recommended guard with one more condition on its MFA deny, and the variants a caller can switch off.
import { readFileSync } from 'node:fs';
import type { NamedPolicy } from '../../src/engine/compile.js';
import { buildGuard } from '../../src/policy/guard.js';

type Condition = Record<string, Record<string, unknown>>;

interface Statement {
  Condition?: Condition;
}

/** The recommended guard whose first statement (the MFA deny) also carries `condition`. */
export function switchableGuard(condition: Condition, name = 'ForceMfaAccess'): NamedPolicy {
  const document = structuredClone(buildGuard({ profile: 'recommended' }).document) as unknown as { Statement: Statement[] };
  const deny = document.Statement[0] as Statement;
  deny.Condition = { ...deny.Condition, ...condition };
  return { name, document };
}

/** test/fixtures/switchable-mfa-deny-conditions.json: none of these may leave a user reported protected. */
export const SWITCHABLE_CONDITIONS = JSON.parse(
  readFileSync(new URL('../fixtures/switchable-mfa-deny-conditions.json', import.meta.url), 'utf8'),
) as readonly { readonly name: string; readonly condition: Condition }[];
