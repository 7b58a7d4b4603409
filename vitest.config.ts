import { defineConfig } from 'vitest/config';

// Two cores: end-to-end files each start a workerd daemon, so run files two at a time at most.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A run inside GitHub Actions must not write the job's summary or annotate it with the tests' own releases.
    env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
  },
});
