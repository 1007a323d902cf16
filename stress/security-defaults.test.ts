// The defaults SECURITY.md promises, each checked end to end: cookie attributes (CSRF via
// SameSite), proxies, fixation, timeouts, sizes, and labels such as __proto__.
import { randomBytes } from 'node:crypto'
import {
  createSessionManager,
  MemorySessionStore,
  SessionError,
  type SessionManager,
  type SessionOptions,
  type SessionStore,
} from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, describe, expect, it } from 'vitest'
import { cookiePair, send } from './fixtures/http.js'
import { type LocalServer, startExpress, startKoa } from './fixtures/in-process.js'
import { sharedRedis } from './fixtures/shared-redis.js'

const secret = randomBytes(32).toString('hex')

describe.each([
  ['Express', startExpress],
  ['Koa', startKoa],
] as const)('cookies set through %s', (_name, start) => {
  const servers: LocalServer[] = []
  const serve = async (options: Partial<SessionOptions> = {}) => {
    const server = await start(createSessionManager({ secret, ...options }))
    servers.push(server)
    return server
  }
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
  })

  it('are HttpOnly, SameSite=Lax, Path=/, not Secure on plain HTTP, and last until the absolute expiry', async () => {
    const { port } = await serve()
    const [cookie] = (await send(port, '/set?path=a', { method: 'POST' })).setCookie
    const attributes = cookie!
      .split(/;\s*/)
      .slice(1)
      .map((part) => part.toLowerCase())
    const maxAge = attributes.find((part) => part.startsWith('max-age='))
    expect(Number(maxAge?.slice(8))).toBeGreaterThanOrEqual(86399) // the time left of 86400 s
    expect(attributes.filter((part) => part !== maxAge).sort()).toEqual([
      'httponly',
      'path=/',
      'samesite=lax',
    ])
  })

  it('ignore X-Forwarded-Proto unless trustProxy is on', async () => {
    const headers = { 'x-forwarded-proto': 'https' }
    const untrusted = await serve()
    const trusted = await serve({ trustProxy: true })
    const plain = await send(untrusted.port, '/set?path=a', { method: 'POST', headers })
    const proxied = await send(trusted.port, '/set?path=a', { method: 'POST', headers })
    expect(plain.setCookie[0]).not.toMatch(/;\s*Secure/i)
    expect(proxied.setCookie[0]).toMatch(/;\s*Secure/i)
  })

  it('are Secure whatever the request when named __Host- or SameSite=None', async () => {
    const host = await serve({ cookie: { name: '__Host-sid' } })
    const none = await serve({ cookie: { sameSite: 'none' } })
    expect((await send(host.port, '/set?path=a', { method: 'POST' })).setCookie[0]).toMatch(
      /^__Host-sid=[^;]+;.*Secure/i,
    )
    expect((await send(none.port, '/set?path=a', { method: 'POST' })).setCookie[0]).toMatch(
      /SameSite=None.*Secure|Secure.*SameSite=None/i,
    )
  })

  it('are not sent to a visitor who wrote nothing', async () => {
    const { port } = await serve()
    const answer = await send(port, '/get?path=a')
    expect(answer.setCookie).toEqual([])
  })
})

it('refuses unsafe cookie settings at start-up', () => {
  const code = (options: Partial<SessionOptions>) => {
    try {
      createSessionManager({ secret, ...options })
      return 'accepted'
    } catch (error) {
      return SessionError.is(error) ? error.code : String(error)
    }
  }
  expect(code({ cookie: { name: '__Host-sid', domain: 'example.com' } })).toBe('INVALID_OPTIONS')
  expect(code({ cookie: { name: '__Host-sid', path: '/app' } })).toBe('INVALID_OPTIONS')
  expect(code({ cookie: { name: '__Secure-sid', secure: false } })).toBe('INVALID_OPTIONS')
})

/** A manager on its own clock; `request` opens, works and commits like a binding would. */
function clocked(store: SessionStore = new MemorySessionStore({ sweepInterval: 0 })) {
  let time = Date.now()
  const manager: SessionManager = createSessionManager({ secret, store, now: () => time })
  return {
    manager,
    store,
    advance: (seconds: number) => {
      time += seconds * 1000
    },
    async request(
      cookie: string | undefined,
      work?: (handle: Awaited<ReturnType<SessionManager['open']>>) => unknown,
    ) {
      const handle = await manager.open({ cookie, encrypted: false })
      await work?.(handle)
      const setCookie = await handle.commit()
      return { handle, setCookie, cookie: cookiePair(setCookie) ?? cookie }
    },
  }
}

describe('session fixation', () => {
  it('gives a login a new id; the id planted before it loads nothing afterwards', async () => {
    const { request, store } = clocked()
    // The attacker gets a real session and plants its cookie in the victim's browser.
    const planted = (await request(undefined, (h) => h.session.data.set('by', 'attacker'))).cookie!
    const plantedId = planted.slice(4, 4 + 43)
    const login = await request(planted, (h) => h.sessions.login({ identity: 'victim' }))
    expect(login.cookie).toBeDefined()
    expect(login.cookie).not.toBe(planted)
    expect(await store.get(plantedId)).toBeUndefined()
    const attacker = await request(planted)
    expect(attacker.handle.session.isNew).toBe(true)
    expect(attacker.handle.avatar.isAnonymous).toBe(true)
    const victim = await request(login.cookie)
    expect(victim.handle.avatar.identity).toBe('victim')
  })
})

describe('timeouts', () => {
  it('ends a session idle for longer than ttl (3600 s)', async () => {
    const { request, advance } = clocked()
    const { cookie } = await request(undefined, (h) => h.session.data.set('a', 1))
    advance(3599)
    expect((await request(cookie)).handle.session.isNew).toBe(false)
    advance(3601)
    expect((await request(cookie)).handle.session.isNew).toBe(true)
  })

  it('ends an active session after absoluteTtl (86400 s) however often it is used', async () => {
    const { request, advance } = clocked()
    const { cookie } = await request(undefined, (h) => h.session.data.set('a', 1))
    for (let elapsed = 0; elapsed < 86400 - 1800; elapsed += 1800) {
      advance(1800)
      expect((await request(cookie, (h) => h.session.data.set('a', elapsed))).handle.session.isNew).toBe(
        false,
      )
    }
    advance(1800)
    expect((await request(cookie)).handle.session.isNew).toBe(true)
  })
})

describe('sizes', () => {
  it('refuses to store a session over maxSessionBytes (65536 by default) and stores nothing', async () => {
    const { request, store } = clocked()
    const error = await request(undefined, (h) => h.session.data.set('blob', 'x'.repeat(70_000))).catch(
      (caught: unknown) => caught,
    )
    expect(SessionError.is(error) && error.code).toBe('SESSION_TOO_LARGE')
    expect(await store.count()).toBe(0)
  })
})

describe('memory bound', () => {
  it('keeps the memory store at maxSessions however many visitors write, evicting the least recently used', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0, maxSessions: 100 })
    const { request } = clocked(store)
    const cookies: string[] = []
    for (let i = 0; i < 300; i++)
      cookies.push((await request(undefined, (h) => h.session.data.set('i', i))).cookie!)
    expect(await store.count()).toBe(100)
    expect((await request(cookies[0])).handle.session.isNew).toBe(true) // evicted
    expect((await request(cookies[299])).handle.session.isNew).toBe(false)
  })
})

describe('labels such as __proto__', () => {
  const shared = sharedRedis('proto')

  it('are ordinary data in the memory and Redis stores, and pollute no prototype', async () => {
    for (const store of [
      new MemorySessionStore({ sweepInterval: 0 }),
      new RedisSessionStore({ client: shared.client, prefix: shared.prefix }),
    ]) {
      const { request } = clocked(store)
      const auth = JSON.parse('{"identity":"ada","__proto__":{"polluted":true}}') as { identity: string }
      const { cookie } = await request(undefined, async (h) => {
        await h.sessions.login(auth)
        h.session.data.set(['__proto__'], { polluted: true })
        h.session.data.set(['constructor'], 'data')
      })
      const loaded = (await request(cookie)).handle.session
      expect(loaded.data.keys()).toEqual(['__proto__', 'constructor'])
      expect(Object.hasOwn(loaded.auth!, '__proto__')).toBe(true)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.keys(Object.prototype)).toEqual([])
    }
  })
})
