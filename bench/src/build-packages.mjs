// Builds the workspace packages the bench imports (turbo: everything bench depends on).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Runs the build; returns true when it succeeded. A failed build is reported, not fatal. */
export function buildPackages(log) {
  log('Building @satchel/* (turbo run build --filter=@satchel/bench^...)')
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@satchel/bench^...', '--output-logs=errors-only'],
    { cwd: root, stdio: 'inherit' },
  )
  if (result.status !== 0) {
    log('! build failed: rows whose package does not import will show as unavailable')
    return false
  }
  return true
}
