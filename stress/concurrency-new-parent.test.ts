// Issue 10 §1, the case that fails today (see SECURITY.md "Known failures"): concurrent requests
// that each set their own path under a parent that does not exist yet. Every request records the
// parent's creation as a `set` of the whole parent, and replaying that change on top of a newer
// record replaces the parent another request already filled, so its paths are lost.
import { randomBytes } from 'node:crypto'
import { createSessionManager } from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChildServer, startChild } from './fixtures/children.js'
import { hammer, hitLabels, storedHits } from './fixtures/hammer.js'
import {
  type Client,
  connect,
  deletePrefix,
  REDIS_URL,
  requireRedis,
  uniquePrefix,
} from './fixtures/redis.js'
import { SIZES } from './fixtures/sizes.js'

const REQUESTS = SIZES.concurrentRequests
const secret = randomBytes(32).toString('hex')

describe('concurrent requests whose paths share a parent no request has created yet', () => {
  it('keeps both paths when two requests on the memory store each add one under a new parent', async () => {
    const manager = createSessionManager({ secret })
    const first = await manager.open({ cookie: undefined, encrypted: false })
    first.session.data.set('start', true)
    const [cookie] = await first.commit()
    const header = cookie!.split(';', 1)[0]
    const a = await manager.open({ cookie: header, encrypted: false })
    const b = await manager.open({ cookie: header, encrypted: false })
    a.session.data.set('hits.a', true)
    b.session.data.set('hits.b', true)
    await a.commit()
    await b.commit()
    expect(await storedHits(manager.store, a.session.id)).toEqual(['a', 'b'])
    await manager.close()
  })

  describe('through an Express process and a Koa process sharing Redis', () => {
    const prefix = uniquePrefix('new-parent')
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

    it(`keeps all ${REQUESTS} paths when ${REQUESTS} concurrent requests each add one under a new parent`, async () => {
      const { id } = await hammer(express!.port, koa!.port, REQUESTS, 'start')
      expect(await storedHits(store, id)).toEqual(hitLabels(REQUESTS).sort())
    })
  })
})
