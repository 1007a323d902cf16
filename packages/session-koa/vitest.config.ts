import { defineProject } from 'vitest/config'

const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']
// Vitest hands `ssr.resolve.conditions` to Node as --conditions. 'import' or 'module' there make
// Node's require() pick ESM branches of CJS packages (Express 5's router gets is-promise's
// namespace object instead of its function), so the server side keeps to Node's own conditions.
const serverConditions = ['@satchel/source', 'node', 'development|production']

export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: serverConditions, externalConditions: ['@satchel/source'] } },
  test: { name: 'session-koa', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
})
