// The signing secret: SATCHEL_SECRET, or a development secret generated once into .local/.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { LOCAL_DIR } from './config.mjs'

const SECRET_FILE = `${LOCAL_DIR}secret`

/** The secret list for `sessionMiddleware({ secret })`, and whether it came from the dev file. */
export async function loadSecret(config, log = console) {
  if (config.secret)
    return config.secret
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
  try {
    const secret = (await readFile(SECRET_FILE, 'utf8')).trim()
    if (secret.length >= 32) {
      log.warn(
        `satchel demo: using the development secret in ${SECRET_FILE} (set SATCHEL_SECRET for real use).`,
      )
      return [secret]
    }
  } catch (error) {
    if (error?.code !== 'ENOENT') throw error
  }
  const secret = randomBytes(48).toString('base64url')
  await mkdir(LOCAL_DIR, { recursive: true })
  await writeFile(SECRET_FILE, `${secret}\n`, { mode: 0o600 })
  log.warn(
    [
      `satchel demo: WARNING: no SATCHEL_SECRET set; generated a development secret into ${SECRET_FILE}.`,
      '  Never use it in production. Set a real one (at least 32 bytes), for example:',
      '    export SATCHEL_SECRET="$(openssl rand -base64 48)"',
      '  A comma-separated list rotates keys: the first signs, all verify.',
    ].join('\n'),
  )
  return [secret]
}
