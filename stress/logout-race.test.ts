// Issue 10 §2: a slow request that began before a logout and commits after it leaves the session destroyed.
import { randomBytes } from 'node:crypto'
import {
  createSessionManager,
  MemorySessionStore,
  type SessionManager,
  type SessionStore,
} from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookiePair, idOf, send } from './fixtures/http.js'
import { type AppHooks, gate, type LocalServer, startExpress, startKoa } from './fixtures/in-process.js'
import { sharedRedis } from './fixtures/shared-redis.js'

const secret = randomBytes(32).toString('hex')
const shared = sharedRedis('logout-race')

const stores: [string, () => SessionStore][] = [
  ['the memory store', () => new MemorySessionStore()],
  [
    'the Redis store',
    () =>
      new RedisSessionStore({
        client: shared.client,
        prefix: `${shared.prefix}${randomBytes(3).toString('hex')}:`,
      }),
  ],
]
const frameworks: [string, typeof startExpress][] = [
  ['Express', startExpress],
  ['Koa', startKoa],
]

describe.each(stores)('on %s', (_storeName, makeStore) => {
  describe.each(frameworks)('through %s', (_framework, start) => {
    let store: SessionStore
    let server: LocalServer
    const hooks: AppHooks = {}

    beforeAll(async () => {
      store = makeStore()
      server = await start(createSessionManager({ secret, store }), hooks)
    })
    afterAll(async () => {
      await server.close()
      await store.close()
    })

    it('keeps the session destroyed when a request that began before the logout commits after it', async () => {
      const created = await send(server.port, '/set?path=before', { method: 'POST' })
      const cookie = cookiePair(created.setCookie)!
      const id = idOf(cookie)
      expect(await store.get(id)).toBeDefined()

      hooks.slow = gate()
      const slow = send(server.port, '/slow?path=race', { method: 'POST', cookie })
      await hooks.slow.entered // the slow request has loaded the session and changed it

      const logout = await send(server.port, '/logout', { method: 'POST', cookie })
      expect(logout.status).toBe(200)
      expect(logout.setCookie.join()).toMatch(/^sid=;.*Max-Age=0/)
      expect(await store.get(id)).toBeUndefined()

      hooks.slow.release() // …and commits only now, after the logout
      const late = await slow
      expect(late.status).toBe(200)
      expect(cookiePair(late.setCookie)).toBeUndefined() // no new or re-issued session cookie

      expect(await store.get(id)).toBeUndefined()
      expect(await store.count()).toBe(0)
      const after = await send(server.port, '/get?path=race', { cookie })
      expect(JSON.parse(after.body)).toEqual({ isNew: true, value: null })
    })
  })
})

describe.each(stores)('on %s, without HTTP', (_storeName, makeStore) => {
  /** Opens one request with `cookie`; the caller commits it when it likes. */
  async function begin(manager: SessionManager, cookie: string | undefined) {
    return manager.open({ cookie, encrypted: false })
  }
  const pair = (setCookie: string[]) => cookiePair(setCookie)!

  it('keeps every session of an identity destroyed when a slow request on one commits after logoutEverywhere', async () => {
    const store = makeStore()
    const manager = createSessionManager({ secret, store })
    const laptop = await begin(manager, undefined)
    await laptop.sessions.login({ identity: 'ada' })
    const laptopCookie = pair(await laptop.commit())
    const phone = await begin(manager, undefined)
    await phone.sessions.login({ identity: 'ada' })
    const phoneCookie = pair(await phone.commit())

    const slow = await begin(manager, phoneCookie) // began before…
    slow.session.data.set('cart', 'late')
    const everywhere = await begin(manager, laptopCookie)
    expect(await everywhere.sessions.logoutEverywhere()).toBe(2)
    await everywhere.commit()
    await slow.commit() // …committed after

    expect(await store.get(idOf(phoneCookie))).toBeUndefined()
    expect(await store.get(idOf(laptopCookie))).toBeUndefined()
    expect(await store.listByIdentity('ada')).toEqual([])
    await store.close()
  })

  it('keeps the pre-login id gone, and sends no cookie that could undo the login, when a slow request on it commits after the login', async () => {
    const store = makeStore()
    const manager = createSessionManager({ secret, store })
    const first = await begin(manager, undefined)
    first.session.data.set('cart', 'apples')
    const before = pair(await first.commit())

    const slow = await begin(manager, before)
    slow.session.data.set('cart', 'pears')
    const login = await begin(manager, before)
    await login.sessions.login({ identity: 'ada' }, { keepData: true })
    const after = pair(await login.commit())
    expect(await slow.commit()).toEqual([]) // a clearing cookie here would log the browser out again

    expect(await store.get(idOf(before))).toBeUndefined()
    const current = await store.get(idOf(after))
    expect(current?.data.get('cart')).toBe('apples')
    expect(await store.count()).toBe(1)
    await store.close()
  })
})
