import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBuilt, root } from './built-package.js';

// Must show (issue 2): `npx cdk synth` of examples/cdk-app works offline, with no AWS credentials, and its group policy
// equals what `force-mfa template --format cloudformation` prints. Both run from dist/, as a user would run them.
const exampleDir = join(root, 'examples/cdk-app');
const cdkCli = join(root, 'node_modules/aws-cdk/bin/cdk');

/** An environment with no AWS credentials or config, so a synth that needed an account would fail, not succeed. */
function credentiallessEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')));
  return {
    ...env,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

interface TemplateJson {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

function groupResources(template: TemplateJson): { Type: string; Properties: Record<string, unknown> }[] {
  return Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Group');
}

describe('examples/cdk-app', () => {
  let work: string;
  let synthesized: TemplateJson;

  beforeAll(() => {
    ensureBuilt();
    expect(existsSync(join(root, 'dist/cdk/index.js'))).toBe(true);
    work = mkdtempSync(join(tmpdir(), 'force-mfa-cdk-example-'));
    execFileSync(process.execPath, [cdkCli, 'synth', '--no-notices', '-q', '-o', join(work, 'cdk.out')], {
      cwd: exampleDir,
      env: credentiallessEnv(work),
      stdio: 'pipe',
      timeout: 120_000,
    });
    synthesized = JSON.parse(readFileSync(join(work, 'cdk.out/ForceMfaExample.template.json'), 'utf8')) as TemplateJson;
  }, 180_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("synthesizes a group whose policy equals `force-mfa template --format cloudformation`'s", () => {
    const printed = execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'template', '--format', 'cloudformation'], {
      cwd: root,
      encoding: 'utf8',
    });
    const cliTemplate = parse(printed) as TemplateJson;
    const [cliGroup] = groupResources(cliTemplate);
    const groups = groupResources(synthesized);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.Properties['Policies']).toStrictEqual(cliGroup?.Properties['Policies']);
    expect(groups[0]?.Properties['GroupName']).toBe('ForceMfaAccess');
    expect(JSON.stringify(groups[0]?.Properties['Policies'])).toContain('arn:aws:iam::*:user/${aws:username}');
  });

  it('passes ForceMfaChecks, which the example registers: the validation report has no finding', () => {
    expect(readFileSync(join(exampleDir, 'bin/app.mjs'), 'utf8')).toContain('Validations.of(app).addPlugins(new ForceMfaChecks(app))');
    const report = JSON.parse(readFileSync(join(work, 'cdk.out/validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toStrictEqual([]);
  });

  it('adds the example user to the guard group', () => {
    const [groupId] = Object.entries(synthesized.Resources).find(([, resource]) => resource.Type === 'AWS::IAM::Group') ?? [];
    const users = Object.values(synthesized.Resources).filter((resource) => resource.Type === 'AWS::IAM::User');
    expect(users).toStrictEqual([expect.objectContaining({ Properties: { UserName: 'alice', Groups: [{ Ref: groupId }] } })]);
  });
});

describe('examples/cdk-app checked by ForceMfaChecks (cdk-nag)', () => {
  it('`cdk synth -c weaken=true` (a guard that exempts iam:RemoveUserFromGroup) fails, naming ForceMfa-FMFA017 and the group', () => {
    const work = mkdtempSync(join(tmpdir(), 'force-mfa-cdk-example-weak-'));
    try {
      const run = spawnSync(process.execPath, [cdkCli, 'synth', '--no-notices', '-q', '-c', 'weaken=true', '-o', join(work, 'cdk.out')], {
        cwd: exampleDir,
        env: credentiallessEnv(work),
        encoding: 'utf8',
        timeout: 120_000,
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).not.toBe(0);
      expect(output).toMatch(/ERROR ForceMfa-FMFA017: .*iam:RemoveUserFromGroup/);
      expect(output).toContain('ForceMfaExample/WeakenedGuard/Group/Resource');
      // The guard that is not weakened is not reported.
      expect(output).not.toContain('ForceMfaExample/ForceMfa/Group/Resource');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('examples/cdk-app with automatic enrollment (-c autoEnroll=true)', () => {
  it('synthesizes offline, bundling the Lambda with the local esbuild, with the rule, sweep, queue and alarm', () => {
    expect(existsSync(join(root, 'dist/rollout/lambda/auto-enroll.js'))).toBe(true);
    const work = mkdtempSync(join(tmpdir(), 'force-mfa-cdk-example-auto-'));
    try {
      execFileSync(process.execPath, [cdkCli, 'synth', '--no-notices', '-q', '-c', 'autoEnroll=true', '-o', join(work, 'cdk.out')], {
        cwd: exampleDir,
        env: credentiallessEnv(work),
        stdio: 'pipe',
        timeout: 120_000,
      });
      const template = JSON.parse(readFileSync(join(work, 'cdk.out/ForceMfaExample.template.json'), 'utf8')) as TemplateJson;
      const types = Object.values(template.Resources).map((resource) => resource.Type);
      expect(types).toEqual(expect.arrayContaining(['AWS::IAM::Group', 'AWS::Lambda::Function', 'AWS::Events::Rule', 'AWS::SQS::Queue', 'AWS::CloudWatch::Alarm']));
      const rules = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Events::Rule');
      expect(JSON.stringify(rules)).toContain('CreateUser');
      expect(JSON.stringify(rules)).toMatch(/rate\(1 day\)|cron\(/);
      const printed = execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'template'], { cwd: root, encoding: 'utf8' });
      const [group] = groupResources(template);
      expect(group?.Properties['Policies']).toStrictEqual(groupResources(parse(printed) as TemplateJson)[0]?.Properties['Policies']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});

