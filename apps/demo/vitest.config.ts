import { defineProject } from 'vitest/config'
import { sourceResolution } from '../../vitest.shared.ts'

// The browser tests start the demo server (on the built packages) and drive Chromium: give
// them time for the build (global setup) and a server restart.
export default defineProject({
  ...sourceResolution,
  test: {
    name: 'demo',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})
