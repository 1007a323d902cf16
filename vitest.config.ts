import { defineConfig } from 'vitest/config'

// One workspace config: every package and app is a project; sources are resolved through the
// `@satchel/source` export condition so tests never need a prior build.
const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@satchel/source'] } },
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: ['default'],
  },
})
