/** `force-mfa explain`: one request, its decision and why, statement by statement. */
import { Option, type Command } from 'commander';
import { inputError } from '../../errors.js';
import { repeatable } from '../lists.js';
import { emit } from '../output.js';
import { addPolicyOptions, readPolicyInputs, type PolicyFlags } from './verify.js';

interface ExplainFlags extends PolicyFlags {
  action: string;
  resource: string;
  context: 'console-no-mfa' | 'access-keys' | 'mfa';
  contextKey?: string[];
  json?: boolean;
}

function parseContextKeys(entries: readonly string[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw inputError('usage', `--context-key ${entry}: write KEY=VALUE, e.g. aws:SourceIp=203.0.113.7`);
    keys[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return keys;
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('show how one request is decided: every statement, whether it applies, and why');
  command
    .requiredOption('--action <action>', 'the action, e.g. iam:EnableMFADevice')
    .requiredOption('--resource <arn>', 'the resource ARN, or "*" for actions that take none (required: a default would decide another request than you mean)')
    .addOption(
      new Option('--context <context>', 'how the request is signed')
        .choices(['console-no-mfa', 'access-keys', 'mfa'])
        .default('console-no-mfa'),
    )
    .option('--context-key <key=value>', 'another request key, e.g. aws:SourceIp=203.0.113.7; repeatable (keys not given are absent; a note says when the decision depends on one)', repeatable)
    .option('--json', 'print the decision and trace as JSON');
  addPolicyOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  force-mfa explain --action iam:EnableMFADevice --resource arn:aws:iam::111122223333:user/bob
  force-mfa explain --guard seed --with-policy AdministratorAccess \\
      --action iam:EnableMFADevice --resource arn:aws:iam::111122223333:user/bob
  force-mfa explain --context access-keys --action iam:CreateVirtualMFADevice --resource 'arn:aws:iam::111122223333:mfa/phone'
  force-mfa explain --policy my-policy.json --action s3:GetObject --resource arn:aws:s3:::bucket/key --context mfa`,
    )
    .action(async (flags: ExplainFlags) => {
      const inputs = await readPolicyInputs(flags);
      const [{ evaluate }, { mfaContextKeys, CONTEXT_DESCRIPTIONS }, { formatExplanation, explanationNotes }, { UNGATED_ACTIONS }, { evaluateQuantified }, { compilePolicy }] =
        await Promise.all([
          import('../../engine/evaluate.js'),
          import('../../engine/contexts.js'),
          import('../../render/explain-text.js'),
          import('../../engine/verify.js'),
          import('../../engine/quantify.js'),
          import('../../engine/compile.js'),
        ]);
      const request = {
        principalArn: inputs.principalArn,
        action: flags.action,
        resource: flags.resource,
        context: { ...mfaContextKeys(flags.context), ...parseContextKeys(flags.contextKey ?? []) },
      };
      const evaluation = evaluate(request, inputs.policies, { trace: true, scps: inputs.scps });
      // The decision is for this concrete request; the quantified one says what other values of the free keys do.
      const quantified = evaluateQuantified(request, inputs.policies, { scps: inputs.scps });
      const readings = [...inputs.policies, ...inputs.scps.flat()].flatMap((policy) => compilePolicy(policy).readings);
      // --action is checked against the catalogue before the action runs (action-flags.ts).
      const ungated = UNGATED_ACTIONS.some((action) => action.toLowerCase() === flags.action.toLowerCase());
      if (flags.json === true) {
        emit(JSON.stringify({ formatVersion: 1, request, contextName: flags.context, ungated, ...evaluation, quantified, readings }, null, 2), undefined);
        return;
      }
      const notes = [
        ...explanationNotes(evaluation.decision, quantified, readings),
        ...(ungated ? [`Note: AWS does not control ${flags.action} with IAM policies: the call works whatever this decision says.`] : []),
      ];
      const note = notes.length === 0 ? '' : `\n\n${notes.join('\n')}`;
      emit(`${formatExplanation(request, CONTEXT_DESCRIPTIONS[flags.context], evaluation)}${note}`, undefined);
    });
}
