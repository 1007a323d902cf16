import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { sourceResolution } from '../vitest.shared.ts'

const long = process.env.STRESS_LONG === '1'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  ...sourceResolution,
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
