// The one session store both apps share: the memory store persisted to a file by default, or
// Redis when REDIS_URL is set (then several demo processes share sessions too).
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { MemorySessionStore } from '@satchel/session-core'

function redactUrl(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'Redis'
  }
}

/** { store, label, close() } — close() dumps the memory store to its file, or quits Redis. */
export async function openStore(config) {
  if (config.redisUrl) {
    const { createClient } = await import('redis')
    const { RedisSessionStore } = await import('@satchel/session-redis')
    const client = createClient({ url: config.redisUrl })
    client.on('error', (error) => console.error(`redis: ${error.message}`))
    // The client reconnects forever by default; at start-up, give up after 5 s and say why.
    let timer
    const gaveUp = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`could not connect to Redis at ${redactUrl(config.redisUrl)}`)),
        5000,
      )
    })
    try {
      await Promise.race([client.connect(), gaveUp])
    } catch (error) {
      client.destroy()
      throw error
    } finally {
      clearTimeout(timer)
    }
    const store = new RedisSessionStore({ client, prefix: config.redisPrefix })
    return {
      store,
      label: `Redis at ${redactUrl(config.redisUrl)}, prefix "${config.redisPrefix}"`,
      async close() {
        await store.close()
        if (client.isOpen) await client.close()
      },
    }
  }
  await mkdir(dirname(config.persistFile), { recursive: true })
  const store = new MemorySessionStore({ persistFile: config.persistFile })
  return {
    store,
    label: `memory, dumped to ${config.persistFile} on shutdown`,
    close: () => store.close(),
  }
}
