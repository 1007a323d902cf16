import { defineProject } from 'vitest/config'

const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']

export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@satchel/source'] } },
  test: { name: 'session-koa', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
})
