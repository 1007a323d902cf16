// The demo's configuration, from environment variables only.
import { fileURLToPath } from 'node:url'

/** apps/demo/.local — ignored by git; holds the dev secret and the memory store's dump. */
export const LOCAL_DIR = fileURLToPath(new URL('../.local/', import.meta.url))

function port(value, fallback) {
  if (value === undefined || value === '') return fallback
  if (value === 'off') return null
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new Error(`bad port: ${value}`)
  return number
}

/**
 * EXPRESS_PORT (3000) and KOA_PORT (3001), "off" to not start that app; HOST (127.0.0.1);
 * SATCHEL_SECRET (comma-separated for a key ring: the first signs); SATCHEL_PERSIST_FILE
 * (.local/sessions.json); REDIS_URL (use Redis instead of the memory store) and
 * SATCHEL_REDIS_PREFIX ("satchel-demo:").
 */
export function readConfig(env = process.env) {
  return {
    expressPort: port(env.EXPRESS_PORT, 3000),
    koaPort: port(env.KOA_PORT, 3001),
    host: env.HOST || '127.0.0.1',
    secret: env.SATCHEL_SECRET || undefined,
    persistFile: env.SATCHEL_PERSIST_FILE || `${LOCAL_DIR}sessions.json`,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.SATCHEL_REDIS_PREFIX || 'satchel-demo:',
  }
}
