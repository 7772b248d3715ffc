// Module hooks used by the start-up benchmark: record every module URL the process resolves.
import { appendFileSync } from 'node:fs';

const log = process.env.FORCE_MFA_LOAD_LOG;

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
