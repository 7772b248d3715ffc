import { test } from 'vitest';
import { loadCatalogue } from '../../src/engine/catalogue.js';
import { verifyPolicies } from '../../src/engine/verify.js';
import { buildGuard } from '../../src/policy/guard.js';
test('smoke', async () => {
  let t = performance.now();
  const cat = await loadCatalogue();
  console.log('load', performance.now() - t, cat.actions.length, cat.source);
  for (const profile of ['seed', 'recommended'] as const) {
    for (const admin of [false, true]) {
      const policies = [{ name: 'guard', document: buildGuard({ profile }).document }, ...(admin ? [{ name: 'AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] : [])];
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        const r = verifyPolicies({ policies }, cat);
        const ms = performance.now() - t;
        if (i === 2) {
          console.log(profile, admin, ms.toFixed(1), JSON.stringify(r.stats), r.ungated);
          for (const c of ['console-no-mfa', 'access-keys', 'mfa'] as const) {
            const a = r.contexts[c].allowed;
            console.log(' ', c, a.length, a.length < 30 ? a.map(x => x.action + (x.ownResourcesOnly ? '(own)' : '') + (x.accountLevel ? '(acct)' : '')).join(' ') : '');
          }
        }
      }
    }
  }
});
