import { defineProject } from 'vitest/config'

const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']

export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@satchel/source'] } },
  test: { name: 'session-express', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
})
