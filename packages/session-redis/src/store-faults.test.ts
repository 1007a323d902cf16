import { SessionError } from '@satchel/session-core'
import { Redis as IoRedis } from 'ioredis6'
import { createClient } from 'redis5'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type RedisServer, sparePort, startRedisServer } from './__fixtures__/redis-servers.js'
import type { RedisSessionClient } from './redis-client-adapter.js'
import { RedisSessionStore } from './redis-session-store.js'

const TIMEOUT = 300
let port: number
let server: RedisServer | undefined

beforeAll(async () => {
  port = await sparePort()
  server = await startRedisServer(port)
}, 15_000)
afterAll(async () => server?.stop())

/** Settles `promise` and tells how long it took and how it ended. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; error: unknown; value: T | undefined }> {
  const start = performance.now()
  try {
    const value = await promise
    return { ms: performance.now() - start, error: undefined, value }
  } catch (error) {
    return { ms: performance.now() - start, error, value: undefined }
  }
}

interface TestClient {
  client: RedisSessionClient
  errors: unknown[]
  close(): void
}

/** Clients set up as the README advises: short connect timeout, reconnect forever. */
const clients: Record<string, () => Promise<TestClient>> = {
  'node-redis v5': async () => {
    const client = createClient({
      url: `redis://127.0.0.1:${port}`,
      socket: { connectTimeout: 200, reconnectStrategy: () => 50 },
    })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    await client.connect()
    return { client, errors, close: () => client.destroy() }
  },
  'ioredis v6': async () => {
    const client = new IoRedis(port, '127.0.0.1', {
      lazyConnect: true,
      connectTimeout: 200,
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
    })
    const errors: unknown[] = []
    client.on('error', (error) => errors.push(error))
    await client.connect()
    return { client, errors, close: () => client.disconnect() }
  },
}

it.each(Object.keys(clients))(
  'fails every call with STORE_UNAVAILABLE within the timeout while Redis is down, then recovers (%s)',
  async (name) => {
    const { client, errors: clientErrors, close } = await clients[name]!()
    const store = new RedisSessionStore({ client, prefix: 'faults:', commandTimeout: TIMEOUT })
    const session = await store.create()

    // Load: readers and writers in flight when the server dies.
    let stop = false
    const load = Array.from({ length: 20 }, async () => {
      const outcomes: unknown[] = []
      while (!stop) {
        const loaded = await store.get(session.id).catch((error: unknown) => error)
        outcomes.push(loaded)
        if (loaded instanceof Error) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return outcomes
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await server!.stop()

    const calls = await Promise.all([
      timed(store.get(session.id)),
      timed(store.save(session)),
      timed(store.touch(session)),
      timed(store.delete(session.id)),
      timed(store.count()),
      timed(store.listByIdentity('ada')),
      timed(store.create()),
    ])
    for (const call of calls) {
      expect(SessionError.is(call.error) && call.error.code).toBe('STORE_UNAVAILABLE')
      expect((call.error as SessionError).status).toBe(503)
      expect(call.ms).toBeLessThan(TIMEOUT + 500) // the timeout plus event-loop slack on a busy machine
    }
    stop = true
    const outcomes = (await Promise.all(load)).flat()
    const failures = outcomes.filter((outcome) => outcome instanceof Error)
    expect(failures.length).toBeGreaterThan(0)
    expect(failures.every((error) => SessionError.is(error) && error.code === 'STORE_UNAVAILABLE')).toBe(true)
    expect(clientErrors.length).toBeGreaterThan(0)

    server = await startRedisServer(port)
    const deadline = Date.now() + 5000
    let created: Awaited<ReturnType<typeof store.create>> | undefined
    while (created === undefined && Date.now() < deadline) {
      created = await store.create().catch(() => undefined)
    }
    expect(created).toBeDefined()
    created!.data.set('back', true)
    await store.save(created!)
    expect((await store.get(created!.id))?.data.get('back')).toBe(true)
    close()
  },
  20_000,
)
