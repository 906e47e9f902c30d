import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Browser tests start Chromium; two at a time is what a 2-core machine takes comfortably.
    maxWorkers: 2,
  },
})
