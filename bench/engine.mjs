// Engine benchmark: catalogue load, exhaustive verify per profile (median), single evaluations per second.
// Run after `npm run build`; imports the compiled engine from ../dist.
// First: silences the AWS SDK's Node version warning before anything loads the SDK (src/aws/node-version-warning.ts).
import '../dist/aws/node-version-warning.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { loadCatalogue } = await import(new URL('engine/catalogue.js', dist).href);
const { verifyPolicies } = await import(new URL('engine/verify.js', dist).href);
const { evaluate } = await import(new URL('engine/evaluate.js', dist).href);
const { builtinPolicy } = await import(new URL('engine/builtin-policies.js', dist).href);
const { buildGuard } = await import(new URL('policy/guard.js', dist).href);

const RUNS = 31;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => value.toFixed(1);

// Catalogue load in fresh processes (the in-process result is cached after the first load).
const loadScript = `const t=performance.now();const m=await import(${JSON.stringify(new URL('engine/catalogue.js', dist).href)});await m.loadCatalogue();console.log(performance.now()-t);`;
const loads = [1, 2, 3].map(() =>
  Number(execFileSync(process.execPath, ['--input-type=module', '-e', loadScript], { cwd: fileURLToPath(new URL('..', import.meta.url)) }).toString()),
);
const catalogue = await loadCatalogue();
console.log(`catalogue load (${catalogue.actions.length} actions, fresh process): median ${ms(median(loads))} ms of 3`);

const admin = builtinPolicy('AdministratorAccess');
// The recommended guard whose MFA deny also tests aws:UserAgent: the quantified path (docs/guarantees.md).
const switchable = structuredClone(buildGuard({ profile: 'recommended' }).document);
switchable.Statement[0].Condition = { ...switchable.Statement[0].Condition, StringNotLikeIfExists: { 'aws:UserAgent': '*Terraform*' } };
const cases = [
  ...['seed', 'recommended'].flatMap((profile) =>
    [false, true].map((withAdmin) => ({
      label: `${profile}${withAdmin ? ' + AdministratorAccess' : ''}`,
      policies: [{ name: 'ForceMfaAccess', document: buildGuard({ profile }).document }, ...(withAdmin ? [admin] : [])],
    })),
  ),
  { label: 'recommended with an aws:UserAgent condition + AdministratorAccess', policies: [{ name: 'ForceMfaAccess', document: switchable }, admin] },
];
for (const { label, policies } of cases) {
  const times = [];
  let report;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    report = verifyPolicies({ policies }, catalogue);
    times.push(performance.now() - start);
  }
  console.log(
    `verify ${label} (3 contexts, ${catalogue.actions.length} actions): median ${ms(median(times))} ms, first ${ms(times[0])} ms` +
      ` (${report.stats.actionClasses} action classes, ${report.stats.resourceClasses} resource classes, ${report.stats.evaluations} evaluations)`,
  );
}

const policies = [{ name: 'ForceMfaAccess', document: buildGuard({ profile: 'recommended' }).document }, admin];
const contexts = [{ 'aws:MultiFactorAuthPresent': 'false' }, {}, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' }];
const requests = [];
for (const action of catalogue.actions.slice(0, 300)) {
  for (const context of contexts) {
    requests.push({ principalArn: 'arn:aws:iam::111122223333:user/alice', action: action.name, resource: 'arn:aws:iam::111122223333:user/bob', context });
  }
}
for (const request of requests) evaluate(request, policies);
let count = 0;
const start = performance.now();
while (performance.now() - start < 1000) {
  for (let index = 0; index < 1000; index += 1) evaluate(requests[(count + index) % requests.length], policies);
  count += 1000;
}
const seconds = (performance.now() - start) / 1000;
console.log(`single evaluations (recommended + AdministratorAccess, ${requests.length} distinct requests): ${Math.round(count / seconds)} per second`);
