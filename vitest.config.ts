import { defineConfig } from 'vitest/config'
import { sourceResolution } from './vitest.shared.ts'

export default defineConfig({
  ...sourceResolution,
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: ['default'],
  },
})
