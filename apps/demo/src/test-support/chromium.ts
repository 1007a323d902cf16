// Finds Debian's Chromium for playwright-core. A missing browser is an error, never a skip.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Launch flags for headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
]

/** The path of the `chromium` binary (or $CHROMIUM_PATH); throws with install advice when absent. */
export function findChromium(): string {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '').split(delimiter).flatMap((dir) => (dir ? [join(dir, 'chromium')] : []))
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  throw new Error(
    'The demo browser tests need Chromium and did not find it (CI=' +
      `${process.env.CI ?? 'unset'}). Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`,
  )
}
