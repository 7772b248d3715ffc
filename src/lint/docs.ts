/** Renders docs/rules.md from the rule registry, so the documentation never drifts from the code. */
import { RULES } from './registry.js';
import { LINT_RULES } from './rules/index.js';

const INTRODUCTION = `# force-mfa lint rules

<!-- Generated from src/lint/registry.ts by \`npm run docs:rules\`; do not edit by hand. -->

\`force-mfa lint FILE...\` reads IAM policy documents (JSON or YAML, also the output of \`aws iam get-group-policy\`),
CloudFormation templates (JSON or YAML, short-form tags such as \`!Sub\` included) and Terraform JSON (\`.tf.json\`:
\`aws_iam_group_policy\`, \`aws_iam_user_policy\`, \`aws_iam_role_policy\`, \`aws_iam_policy\` and
\`aws_iam_policy_document\` data sources), and checks every policy document it finds against the rules below.

- Each finding names the file, the policy's place in it (for example \`Resources.ForceMfaAccess.Policies[0]\`) and,
  when it concerns one statement, the statement (\`Statement[2] (Sid)\`).
- CloudFormation values are resolved offline: pseudo parameters (\`AWS::Partition\` = \`aws\`, \`AWS::AccountId\` =
  \`123456789012\`), parameter defaults, \`Fn::Sub\` (\`\${!x}\` is a literal \`\${x}\`), \`Fn::Join\`, \`Fn::Select\`,
  \`Fn::Split\`, \`Fn::FindInMap\`, and \`Fn::GetAtt\` of the \`Arn\` of an IAM group, user or role, an SQS queue
  or a Lambda function of the same template (from its name, or CloudFormation's generated \`stack-LogicalId-...\`).
  Anything else (other attributes, \`Fn::If\`, a \`Ref\` to a resource) makes the statement uncheckable: it is
  reported (FMFA014), never skipped in silence. In Terraform, \`$\${\` and \`&{\` stand for
  a literal \`\${\`; an interpolation makes the policy uncheckable.
- The rules marked *evaluated* ask the force-mfa evaluator what a member of the guard can do, acting as the user
  \`alice\` of account \`123456789012\`, without MFA (a console session with \`aws:MultiFactorAuthPresent\` = \`false\`,
  and long-term access keys, where the key is absent), with the policy alone and beside a policy that allows
  everything (standing for AdministratorAccess or any broad allow). They run on policies that hold an MFA deny and
  that are complete and well-formed.

## Exit codes and options

- \`0\`: no finding at or above \`--fail-on\`; \`1\`: at least one (a file without any IAM policy is one: FMFA016);
  \`2\`: a file is unreadable, binary, over 1 MiB, not strict JSON (\`.json\`) or valid YAML, or not a policy,
  template or Terraform configuration.
- \`--fail-on error|warning|info|never\` (default \`warning\`); \`never\` reports and exits 0.
- \`--format text|json|sarif\` (default \`text\`); \`--output FILE\` writes the report to a file.
- \`--guard seed|recommended\` also lints force-mfa's own guard of that profile (\`force-mfa lint --guard seed\`
  lists the 2022 policy's known weaknesses; the recommended profile has no warning and no error).

## SARIF output (GitHub code scanning)

\`--format sarif\` writes SARIF 2.1.0: one result per finding with the rule's id, level (\`info\` is \`note\`) and
message, the rules with their title, why and fix from the registry, and the statement's line and column in the file
(JSON, YAML, CloudFormation, Terraform). A policy held as a JSON string (Terraform's \`policy\` argument, a string
\`PolicyDocument\`) is located at that string. A guard linted with \`--guard\` has no file and only a logical
location. Upload it in GitHub Actions:

\`\`\`yaml
- run: npx force-mfa lint iam/*.json --format sarif --output force-mfa.sarif --fail-on never
- uses: github/codeql-action/upload-sarif@v3
  with:
    sarif_file: force-mfa.sarif
    category: force-mfa
\`\`\`

The job needs \`permissions: security-events: write\`.

## JSON output

\`--format json\` prints one object:

\`\`\`json
{
  "version": 1,
  "failOn": "warning",
  "failed": true,
  "summary": { "error": 0, "warning": 2, "info": 1 },
  "files": [{ "file": "template.yaml", "format": "cloudformation", "policies": 1 }],
  "findings": [
    {
      "ruleId": "FMFA002",
      "ruleName": "device-name-scoped-to-user-name",
      "severity": "warning",
      "file": "template.yaml",
      "location": "Resources.ForceMfaAccess.Policies[0]",
      "policyName": "ForceMfaAccess",
      "statementIndex": 3,
      "sid": "ManageMfaDevice0010",
      "message": "allows iam:CreateVirtualMFADevice only on arn:aws:iam::*:mfa/\${aws:username}: ...",
      "fix": "Allow \`iam:CreateVirtualMFADevice\` on \`arn:aws:iam::*:mfa/*\` ..."
    }
  ]
}
\`\`\`

\`format\` is \`policy\`, \`cloudformation\` or \`terraform\`. \`location\`, \`policyName\`, \`statementIndex\` (0-based) and
\`sid\` are present only when they apply. \`version\` changes only when a field changes meaning.
`;

const EVALUATED: ReadonlySet<string> = new Set(LINT_RULES.filter((rule) => rule.scope === 'evaluation').map((rule) => rule.id));

export function renderRulesDoc(): string {
  const summary = [
    '## Rules',
    '',
    '| Id | Name | Severity | Title |',
    '| --- | --- | --- | --- |',
    ...RULES.map((rule) => `| [${rule.id}](#${rule.id.toLowerCase()}) | \`${rule.name}\` | ${rule.severity} | ${escapeCell(rule.title)} |`),
  ];
  const sections = RULES.map((rule) => {
    const severity = 'severityNote' in rule ? `${rule.severity} (${rule.severityNote})` : rule.severity;
    return [
      `### ${rule.id}`,
      '',
      `**${rule.title}**`,
      '',
      `- Name: \`${rule.name}\``,
      `- Severity: ${severity}`,
      `- Check: ${EVALUATED.has(rule.id) ? 'evaluated' : 'read from the document'}`,
      '',
      `Why: ${rule.why}`,
      '',
      `How to fix: ${rule.fix}`,
    ].join('\n');
  });
  return `${INTRODUCTION}\n${summary.join('\n')}\n\n${sections.join('\n\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
