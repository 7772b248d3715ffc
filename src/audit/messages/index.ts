/** The audit's texts per language, and how a coded reason, next step or finding becomes a sentence. */
import { inputError } from '../../errors.js';
import type { AccountFinding, NextStep, Reason } from '../types.js';
import { en } from './en.js';
import { ja } from './ja.js';
import { LANGUAGES, type AuditMessages, type Language } from './types.js';

export type { AuditMessages, AuditLabels, Language } from './types.js';
export { LANGUAGES } from './types.js';

const TABLES: Readonly<Record<Language, AuditMessages>> = { en, ja };

export function auditMessages(language: string = 'en'): AuditMessages {
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    throw inputError('unknown-language', `language '${language}' is not available: use one of ${LANGUAGES.join(', ')}`);
  }
  return TABLES[language as Language];
}

// The tables are typed per code; a union value needs one cast to reach its own entry.
type Render<P> = (params: P) => string;

export function reasonText(messages: AuditMessages, reason: Reason): string {
  return (messages.reasons[reason.code] as Render<typeof reason.params>)(reason.params);
}

export function nextStepText(messages: AuditMessages, step: NextStep): string {
  return (messages.nextSteps[step.code] as Render<typeof step.params>)(step.params);
}

export function findingText(messages: AuditMessages, finding: AccountFinding): string {
  return (messages.findings[finding.code] as (params: typeof finding.params, users: readonly string[]) => string)(finding.params, finding.users);
}
