import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Bundles a TypeScript entry (and the workspace sources it imports, through the
 * `@satchel/source` condition) into one ES module that plain `node` runs as a separate
 * process. `redis5` stays external and resolves from this package's node_modules.
 */
export async function bundleScript(entry: string): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = join(packageRoot, 'node_modules', '.satchel-test-build')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${process.pid}-${Date.now()}.mjs`)
  await build({
    input: entry,
    platform: 'node',
    resolve: { conditionNames: ['@satchel/source', 'import', 'module', 'node', 'default'] },
    external: [/^node:/, /^redis5($|\/)/, /^msgpackr-extract/],
    output: { file, format: 'esm' },
    logLevel: 'silent',
  })
  return { file, remove: () => rm(file, { force: true }) }
}
