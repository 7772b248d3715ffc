/** `force-mfa lint`: check policy files, CloudFormation templates and Terraform JSON for the MFA guard's pitfalls. */
import { Option, type Command } from 'commander';
import { inputError } from '../../errors.js';
import { POLICY_FILE_BOUND, readInputText } from '../../input-file.js';
import { emit, useColor } from '../output.js';

interface LintFlags {
  format: 'text' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'info' | 'never';
  guard?: 'seed' | 'recommended';
  output?: string;
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('check IAM policies, CloudFormation templates and Terraform JSON for the pitfalls of forcing MFA')
    .argument('[files...]', 'policy JSON/YAML, CloudFormation template (JSON/YAML) or Terraform .tf.json files')
    .addOption(new Option('-f, --format <format>', 'text for people, json for machines (shape in docs/rules.md), sarif for GitHub code scanning').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(
      new Option('--fail-on <severity>', 'exit with code 1 when a finding is at least this severe; never: always 0')
        .choices(['error', 'warning', 'info', 'never'])
        .default('warning'),
    )
    .addOption(new Option('--guard <guard>', "also lint force-mfa's own guard (seed or recommended)").choices(['seed', 'recommended']))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addHelpText(
      'after',
      `
Rules: docs/rules.md (FMFA001...). Every finding names the file, the policy in it and the statement.

Examples:
  force-mfa lint policy.json
  force-mfa lint template.yaml main.tf.json --fail-on error
  force-mfa lint cdk.out/MyStack.template.json --format json
  force-mfa lint policies/*.json --format sarif -o force-mfa.sarif   # upload with github/codeql-action/upload-sarif
  force-mfa lint --guard seed          # the 2022 blog policy's known weaknesses`,
    )
    .action(async (files: string[], flags: LintFlags) => {
      if (files.length === 0 && flags.guard === undefined) {
        throw inputError('lint-no-input', 'nothing to lint: give one or more files, or --guard seed|recommended');
      }
      const [{ readLintInput, groupPolicyInput, lintInputs, lintEnvironment, formatLintText, lintJson, failsAt }, { loadCatalogue }] = await Promise.all([
        import('../../lint/index.js'),
        import('../../engine/catalogue.js'),
      ]);
      const texts = new Map(files.map((file) => [file, readInputText(file, POLICY_FILE_BOUND)]));
      const inputs = files.map((file) => readLintInput(file, texts.get(file) ?? ''));
      if (flags.guard !== undefined) {
        const { buildGuard } = await import('../../policy/guard.js');
        const guard = buildGuard({ profile: flags.guard });
        inputs.push(groupPolicyInput(`(guard ${flags.guard})`, guard));
      }
      const catalogue = await loadCatalogue();
      const result = lintInputs(inputs, lintEnvironment(catalogue));
      let text: string;
      if (flags.format === 'sarif') {
        const { lintSarif } = await import('../../render/lint-sarif.js');
        text = JSON.stringify(lintSarif(result, { texts, toolVersion: program.version() ?? 'unknown' }), null, 2);
      } else if (flags.format === 'json') {
        text = JSON.stringify(lintJson(result, flags.failOn), null, 2);
      } else {
        text = formatLintText(result, { color: flags.output === undefined && useColor() });
      }
      emit(text, flags.output);
      if (failsAt(result, flags.failOn)) process.exitCode = 1;
    });
}
