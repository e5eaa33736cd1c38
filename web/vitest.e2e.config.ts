// Browser journeys (e2e/*.e2e.ts) against a running server: YOYAKU_URL names it. They run one
// file at a time so that one Chromium at a time shares the machine with the server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // A page's answer can wait on a proof-of-work solved in the browser: on a busy two-core
    // machine that is seconds, not the default one.
    expect: { poll: { timeout: 15_000 } },
  },
});
