// Registers load-hooks.mjs before the CLI starts (used with `node --import`).
import { register } from 'node:module';

register('./load-hooks.mjs', import.meta.url);
