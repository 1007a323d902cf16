import { defineProject } from 'vitest/config'

const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']

// The browser tests start the demo server (on the built packages) and drive Chromium: give
// them time for the build (global setup) and a server restart.
export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@satchel/source'] } },
  test: {
    name: 'demo',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})
