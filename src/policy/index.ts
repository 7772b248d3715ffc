/** The guard policy: profiles, options and the document model. */
export * from './document.js';
export * from './options.js';
export * from './guard.js';
export { SEED_POLICY, SEED_GROUP_NAME, SEED_POLICY_NAME } from './seed.js';
export { SELF_SERVICE_ACTIONS, ownUserArns } from './recommended.js';
export { scpFromGuard, renderScp, SCP_SIZE_LIMIT, SCP_NOTICE } from './scp.js';
