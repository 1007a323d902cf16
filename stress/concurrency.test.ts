// Issue 10 §1: concurrent requests on one session, each setting its own path, lose nothing.
import { randomBytes } from 'node:crypto'
import type { Bag } from '@satchel/bag'
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
import { sharedRedis } from './fixtures/shared-redis.js'
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

  it(`keeps all ${REQUESTS} paths when ${REQUESTS} concurrent requests each add one under a parent none of them found`, async () => {
    // Every request creates `hits` itself; replaying that creation must merge, not replace.
    const { id } = await hammer(express!.port, koa!.port, REQUESTS, 'start')
    expect(await storedHits(store, id)).toEqual(hitLabels(REQUESTS).sort())
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

  it(`keeps all ${REQUESTS} paths when ${REQUESTS} concurrent requests each add one under a parent none of them found`, async () => {
    const { id } = await hammer(servers[0]!.port, servers[1]!.port, REQUESTS, 'start')
    expect(await storedHits(store, id)).toEqual(hitLabels(REQUESTS).sort())
  })

  it('keeps both paths when two requests each add one under a parent neither found', async () => {
    const cookie = (
      await manager.open({ cookie: undefined, encrypted: false }).then(async (first) => {
        first.session.data.set('start', true)
        return first.commit()
      })
    )[0]!.split(';', 1)[0]!
    const a = await manager.open({ cookie, encrypted: false })
    const b = await manager.open({ cookie, encrypted: false })
    a.session.data.set('hits.a', true)
    b.session.data.set('hits.b', true)
    await a.commit()
    await b.commit()
    expect(await storedHits(store, a.session.id)).toEqual(['a', 'b'])
  })
})

describe.each([
  ['the memory store', () => new MemorySessionStore()],
  ['the Redis store', (client: Client, prefix: string) => new RedisSessionStore({ client, prefix })],
] as const)('requests loaded at the same version on %s', (_name, makeStore) => {
  const shared = sharedRedis('same-version')

  it(`applies every set and delete, in data and avatar data, when ${REQUESTS} of them commit at once`, async () => {
    const store = makeStore(shared.client, shared.prefix)
    const manager = createSessionManager({ secret, store })
    const first = await manager.open({ cookie: undefined, encrypted: false })
    for (let i = 0; i < REQUESTS / 2; i++) first.session.data.set(`old.q${i}`, i)
    first.session.data.set('hits.start', true)
    first.session.avatar.data.set('seen.start', true)
    const cookie = (await first.commit())[0]!.split(';', 1)[0]!
    // Every request loads version 1 before any commits: each save but one must replay.
    const handles = await Promise.all(
      Array.from({ length: REQUESTS }, () => manager.open({ cookie, encrypted: false })),
    )
    handles.forEach((handle, i) => {
      if (i % 2 === 0) handle.session.data.set(`hits.p${i}`, i)
      else handle.session.data.pop(`old.q${(i - 1) / 2}`)
      if (i % 10 === 0) handle.session.avatar.data.set(`seen.a${i}`, true)
    })
    await Promise.all(handles.map((handle) => handle.commit()))

    const stored = (await store.get(first.session.id))!
    const labels = (path: string, bag: Bag = stored.data) => (bag.get(path) as Bag).keys().sort()
    expect(labels('hits')).toEqual(['start', ...hitLabels(REQUESTS).filter((_, i) => i % 2 === 0)].sort())
    expect(labels('old')).toEqual([])
    expect(labels('seen', stored.avatar.data)).toEqual(
      ['start', ...hitLabels(REQUESTS).flatMap((_, i) => (i % 10 === 0 ? [`a${i}`] : []))].sort(),
    )
    await store.close()
  })
})
