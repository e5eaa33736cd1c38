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
  },
});
