/** setupFiles entry of the e2e project: every test file starts with an empty moto (files run one at a time). */
import { beforeAll, inject } from 'vitest';
import { resetMoto } from './moto.js';

beforeAll(async () => {
  await resetMoto(inject('e2eEndpoint'));
});
