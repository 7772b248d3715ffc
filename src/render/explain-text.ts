/** The human form of one decision and its trace. */
import type { PolicyReading } from '../engine/compile.js';
import type { Decision, Evaluation, EvaluationRequest, StatementTrace } from '../engine/evaluate.js';
import type { QuantifiedEvaluation } from '../engine/quantify.js';
import { formatKeyValues } from './verify-text.js';

const DECISION_TEXT = {
  Allowed: 'ALLOWED',
  ExplicitlyDenied: 'DENIED (explicitly, by a Deny statement)',
  ImplicitlyDenied: 'DENIED (implicitly: no statement allows it)',
} as const;

function layerText(layer: string): string {
  return layer === 'identity' ? 'identity policies' : `service control policy layer ${layer.slice(4)}`;
}

function statementLine(entry: StatementTrace): string[] {
  const verdict = entry.applies ? (entry.effect === 'Deny' ? 'DENIES ' : 'ALLOWS ') : 'no     ';
  const lines = [`  ${verdict} ${entry.effect.padEnd(5)} ${entry.policy} / ${entry.statement}: ${entry.reason}`];
  // A statement whose Action or Resource did not match was not decided by its conditions: listing them ("holds")
  // under a statement that does not apply reads as if it did.
  const conditionsDecided = entry.failed === undefined || entry.failed === 'Condition';
  for (const condition of conditionsDecided ? entry.conditions : []) {
    const request = condition.requestValues === undefined ? 'absent' : condition.requestValues.map((value) => `"${value}"`).join(', ');
    lines.push(
      `            ${condition.holds ? 'holds   ' : 'fails   '} ${condition.operator} ${condition.key} ${condition.policyValues.map((value) => `"${value}"`).join(', ')} (request: ${request})`,
    );
  }
  return lines;
}

export function formatExplanation(request: EvaluationRequest, contextLabel: string, evaluation: Evaluation): string {
  const lines = [
    `${request.action} on ${request.resource}`,
    `by ${request.principalArn}, ${contextLabel}`,
    '',
    `Decision: ${DECISION_TEXT[evaluation.decision]}${evaluation.deniedBy !== undefined && evaluation.deniedBy !== 'identity' ? ` — by the ${layerText(evaluation.deniedBy)}` : ''}`,
  ];
  let layer = '';
  for (const entry of evaluation.trace ?? []) {
    if (entry.layer !== layer) {
      layer = entry.layer;
      lines.push('', `Statements of the ${layerText(layer)}:`);
    }
    lines.push(...statementLine(entry));
  }
  return lines.join('\n');
}

/**
 * Notes for one explained request: where the decision depends on keys the request leaves free (explain decides the
 * request as given; verify and audit quantify over them), and the readings of docs/guarantees.md it involves.
 */
export function explanationNotes(decision: Decision, quantified: QuantifiedEvaluation, readings: readonly PolicyReading[]): string[] {
  const notes: string[] = [];
  const keys = quantified.freeKeys.join(', ');
  if (decision === 'ExplicitlyDenied' && !quantified.deniedForEvery) {
    const opening = quantified.opening === undefined ? '' : ` (for example ${formatKeyValues(quantified.opening)}: ${quantified.allowedForSome ? 'allowed' : 'not denied'})`;
    notes.push(
      `Note: the deny depends on ${keys}, which this request does not fix and the caller or the request supplies: with another value it does not apply${opening}. verify and audit count such a deny as not denying; give --context-key to decide one concrete request.`,
    );
  } else if (decision !== 'Allowed' && quantified.allowedForSome) {
    const opening = quantified.opening === undefined ? '' : ` (for example ${formatKeyValues(quantified.opening)})`;
    notes.push(`Note: with other values of ${keys}, which the caller or the request supplies, the request is allowed${opening}.`);
  } else if (decision === 'Allowed' && !quantified.allowedForEvery && quantified.freeKeys.length > 0) {
    notes.push(`Note: the request is allowed only for some values of ${keys}, which the caller or the request supplies.`);
  }
  for (const reading of readings) notes.push(`Note: policy "${reading.policy}", statement "${reading.statement}": ${reading.note}.`);
  return notes;
}
