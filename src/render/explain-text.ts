/** The human form of one decision and its trace. */
import type { Evaluation, EvaluationRequest, StatementTrace } from '../engine/evaluate.js';

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
