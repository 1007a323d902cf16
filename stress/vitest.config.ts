import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Sources are resolved through the `@satchel/source` export condition (as in every package), so
// in-process tests need no build. The child-process servers import the built packages instead.
const sourceConditions = ['@satchel/source', 'import', 'module', 'node', 'default']
// Vitest hands `ssr.resolve.conditions` to Node as --conditions; 'import' there would make Express 5's
// router load ESM branches of CJS packages (see packages/session-express/vitest.config.ts).
const serverConditions = ['@satchel/source', 'node', 'development|production']
const long = process.env.STRESS_LONG === '1'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: serverConditions, externalConditions: ['@satchel/source'] } },
  test: {
    name: 'stress',
    include: long ? ['*.test.ts', 'long/*.test.ts'] : ['*.test.ts'],
    // One file at a time: several tests measure latency, and the machine has two cores.
    fileParallelism: false,
    testTimeout: long ? 1_800_000 : 60_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
})
