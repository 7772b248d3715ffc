// Writes docs/rules.md from the lint rule registry (run `npm run docs:rules`, which builds first).
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../dist/lint/docs.js';

const target = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, renderRulesDoc());
renameSync(temporary, target);
process.stdout.write(`wrote ${target}\n`);
