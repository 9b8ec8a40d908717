import { defineConfig } from 'vitest/config';

const E2E = 'infra/local/test/e2e/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', '**/cdk.out/**'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    // The workflow parser imports its JSON schema without an import attribute; let Vite load it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{pipelines,actions,workloads,infra,scripts}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/cdk.out/**', E2E],
        },
      },
      {
        // Whole releases against a running local cloud: one file at a time, after everything else, so
        // that no other suite competes for the cores their latency gates measure.
        extends: true,
        test: { name: 'e2e', include: [E2E], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
