import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** The e2e project's settings, shared by the slow e2e project (run only with E2E_SLOW=1: minutes, not seconds). */
const e2eSettings = {
  globalSetup: ['test/e2e/support/global-setup.ts'],
  setupFiles: ['test/e2e/support/reset-per-file.ts'],
  // One moto for the run, reset per file: files must not share it at the same time.
  fileParallelism: false,
  maxWorkers: 1,
  // The seeding SDK clients run in the test process; the CLI silences the same warning for itself.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  // A CLI run is a child process against a Python server on a shared machine: bounded, never timed.
  testTimeout: 180_000,
  hookTimeout: 180_000,
  // After the unit tests, so the two never compete for the CPU.
  sequence: { groupOrder: 1 },
} as const;

const slowE2e: TestProjectInlineConfiguration[] =
  process.env['E2E_SLOW'] === '1' ? [{ extends: true, test: { ...e2eSettings, name: 'e2e-slow', include: ['test/e2e/slow/**/*.test.ts'] } }] : [];

export default defineConfig({
  test: {
    allowOnly: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**'],
          // SDK clients made in the test process (aws-sdk-client-mock) would print the SDK's Node version warning into
          // the test output; the CLI, the Lambda handlers and the bench scripts silence it themselves.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          // CDK synthesis and the browser test are slower than the rest; keep them bounded, not timed.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { ...e2eSettings, name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/slow/**'] } },
      ...slowE2e,
    ],
  },
});
