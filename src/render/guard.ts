/** Every rendering of the guard, by format name. */
import type { GuardDefinition } from '../policy/guard.js';
import { renderCloudFormationJson, renderCloudFormationYaml } from './cloudformation.js';
import { renderPolicyJson } from './policy-json.js';
import { renderTerraform } from './terraform.js';
import { renderScp, scpFromGuard } from '../policy/scp.js';

export type GuardFormat = 'cloudformation' | 'cloudformation-json' | 'terraform' | 'policy' | 'scp';
export const GUARD_FORMATS: readonly GuardFormat[] = ['cloudformation', 'cloudformation-json', 'terraform', 'policy', 'scp'];

const RENDERERS: Readonly<Record<GuardFormat, (guard: GuardDefinition) => string>> = {
  cloudformation: renderCloudFormationYaml,
  'cloudformation-json': renderCloudFormationJson,
  terraform: renderTerraform,
  policy: renderPolicyJson,
  scp: (guard) => `${renderScp(scpFromGuard(guard))}\n`,
};

export function renderGuard(guard: GuardDefinition, format: GuardFormat): string {
  return RENDERERS[format](guard);
}
