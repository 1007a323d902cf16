// Issue 10 §1: concurrent requests on one session, each setting its own path, lose nothing.
import { randomBytes } from 'node:crypto'
import { createSessionManager, MemorySessionStore } from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChildServer, startChild } from './fixtures/children.js'
import { hammer, hitLabels, storedHits } from './fixtures/hammer.js'
import { send } from './fixtures/http.js'
import { type LocalServer, startExpress, startKoa } from './fixtures/in-process.js'
import {
  type Client,
  connect,
  deletePrefix,
  REDIS_URL,
  requireRedis,
  uniquePrefix,
} from './fixtures/redis.js'
import { LONG, SIZES } from './fixtures/sizes.js'

const REQUESTS = SIZES.concurrentRequests
const ROUNDS = LONG ? 10 : 2
const secret = randomBytes(32).toString('hex')
// The first request creates `hits` (with `hits.start`); the concurrent ones add `hits.p<i>`.
const expected = ['start', ...hitLabels(REQUESTS)].sort()

describe('an Express process and a Koa process sharing Redis', () => {
  const prefix = uniquePrefix('concurrency')
  let express: ChildServer | undefined
  let koa: ChildServer | undefined
  let client: Client | undefined
  let store: RedisSessionStore

  beforeAll(async () => {
    await requireRedis()
    const env = { STRESS_REDIS_URL: REDIS_URL, STRESS_PREFIX: prefix, STRESS_SECRET: secret }
    ;[express, koa] = await Promise.all([startChild('express', env), startChild('koa', env)])
    client = await connect()
    store = new RedisSessionStore({ client, prefix })
  })
  afterAll(async () => {
    await Promise.all([express?.stop(), koa?.stop()])
    client?.destroy()
    await deletePrefix(prefix)
  })

  it(`keeps all ${REQUESTS} paths when ${REQUESTS} concurrent requests on one session each set their own`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id, cookie } = await hammer(express!.port, koa!.port, REQUESTS, 'hits.start')
      expect(await storedHits(store, id)).toEqual(expected)
      // Both processes read the same complete session back.
      for (const port of [express!.port, koa!.port]) {
        const read = await send(port, '/get?path=hits', { cookie })
        expect((JSON.parse(read.body) as { labels: string[] }).labels.sort()).toEqual(expected)
      }
    }
    expect(express!.alive && koa!.alive).toBe(true)
    expect(express!.stderr + koa!.stderr).toBe('')
  })
})

describe('an Express app and a Koa app in one process on the memory store', () => {
  const store = new MemorySessionStore()
  const manager = createSessionManager({ secret, store })
  let servers: LocalServer[] = []

  beforeAll(async () => {
    servers = await Promise.all([startExpress(manager), startKoa(manager)])
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    await manager.close()
    await store.close()
  })

  it(`keeps all ${REQUESTS} paths when ${REQUESTS} concurrent requests on one session each set their own`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id } = await hammer(servers[0]!.port, servers[1]!.port, REQUESTS, 'hits.start')
      expect(await storedHits(store, id)).toEqual(expected)
    }
  })
})
