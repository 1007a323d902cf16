import { createClient } from 'redis5'
import { afterAll, beforeAll } from 'vitest'
import { deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from './redis-servers.js'

/** A node-redis client as `createClient` returns it. */
export type SharedClient = ReturnType<typeof createClient>

/**
 * A node-redis client on the shared Redis and a fresh key prefix made from `label`, with hooks
 * registered in the calling file or `describe`: before the tests, require the server (failing
 * loudly when it is absent) and connect; after them, close the client and delete every key under
 * the prefix.
 */
export function sharedClient(label: string): { prefix: string; client: SharedClient } {
  const prefix = uniquePrefix(label)
  const client: SharedClient = createClient({ url: REDIS_URL })
  client.on('error', () => undefined)
  beforeAll(async () => {
    await requireRedis()
    await client.connect()
  })
  afterAll(async () => {
    if (client.isOpen) client.destroy()
    await deletePrefix(prefix)
  })
  return { prefix, client }
}
