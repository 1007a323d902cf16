import { describe, expect, it } from 'vitest'
import { thrown } from './__fixtures__/thrown.js'
import {
  createSessionManager,
  digestId,
  MemorySessionStore,
  type RequestSession,
  SessionError,
  type SessionEvent,
  type SessionOptions,
  type SessionRequest,
  type SessionStore,
} from './index.js'
import { KeyRing as KeyRingForTests } from './key-ring.js'

const SECRET = 'a-very-long-secret-of-at-least-32-bytes!'
const OLD_SECRET = 'the-previous-secret-also-32-bytes-long'
const START = Date.parse('2025-01-01T00:00:00Z')

/** A real MemorySessionStore that counts calls and can be made to fail. */
function instrumented(store: SessionStore) {
  const calls: string[] = []
  const state = { broken: false }
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (typeof value !== 'function') return value
      if (property === 'subscribe') return (value as () => unknown).bind(target)
      return (...args: unknown[]) => {
        calls.push(String(property))
        if (state.broken) return Promise.reject(new Error('connection refused'))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return { store: proxy, calls, state }
}

function setup(options: Partial<SessionOptions> = {}) {
  let time = START
  const now = () => time
  const memory = new MemorySessionStore({ now, sweepInterval: 0 })
  const { store, calls, state } = instrumented(memory)
  const manager = createSessionManager({ secret: SECRET, store, now, ...options })
  const events: SessionEvent[] = []
  manager.subscribe((event) => events.push(event))

  /** One request: open with `cookie`, run `work`, commit; returns the Set-Cookie values and the next Cookie header. */
  async function request(
    cookie: string | undefined,
    work?: (handle: RequestSession) => unknown,
    extra: Partial<SessionRequest> = {},
  ) {
    const handle = await manager.open({ cookie, encrypted: false, ...extra })
    await work?.(handle)
    const setCookies = await handle.commit()
    return { handle, setCookies, cookie: nextCookie(cookie, setCookies) }
  }

  return {
    manager,
    memory,
    store,
    calls,
    state,
    events,
    request,
    advance: (seconds: number) => {
      time += seconds * 1000
    },
    now,
  }
}

function nextCookie(previous: string | undefined, setCookies: string[]): string | undefined {
  const last = setCookies.at(-1)
  if (last === undefined) return previous
  const pair = last.split(';')[0]!
  return pair.endsWith('=') ? undefined : pair
}

const types = (events: SessionEvent[]) => events.map((event) => event.type)

describe('createSessionManager', () => {
  it('refuses a secret shorter than 32 bytes at start-up', () => {
    const error = thrown(() => createSessionManager({ secret: 'short' }))
    expect(SessionError.is(error) && error.code).toBe('SECRET_TOO_SHORT')
    expect(() => createSessionManager({ secret: [SECRET, 'x'] })).toThrow(/secret\[1\]/)
  })

  it('refuses inconsistent options at start-up', () => {
    expect(() => createSessionManager({ secret: SECRET, ttl: 60, touchAfter: 60 })).toThrow(SessionError)
    expect(() =>
      createSessionManager({ secret: SECRET, cookie: { name: '__Host-sid', domain: 'x.com' } }),
    ).toThrow(/__Host-/)
    expect(() => createSessionManager({ secret: SECRET, cookie: { name: 'bad name' } })).toThrow(SessionError)
  })
})

describe('1. lazy sessions', () => {
  it('a new visitor gets a usable session but nothing is stored and no cookie is set', async () => {
    const t = setup()
    const { setCookies, handle } = await t.request(undefined, (h) => {
      expect(h.session.data.get('anything')).toBeUndefined()
      expect(h.avatar.isAnonymous).toBe(true)
      expect(h.session.isNew).toBe(true)
    })
    expect(setCookies).toEqual([])
    expect(t.calls).toEqual([])
    expect(await t.memory.count()).toBe(0)
    expect(handle.session.isNew).toBe(true)
  })

  it('the first write to data stores the session and sets the cookie', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('cart.items', 2))
    expect(first.setCookies).toHaveLength(1)
    expect(t.calls).toEqual(['save'])
    expect(types(t.events)).toEqual(['created', 'committed'])
    const second = await t.request(first.cookie, (h) => {
      expect(h.session.data.get('cart.items')).toBe(2)
    })
    expect(second.setCookies).toEqual([])
  })

  it('avatar data alone is enough to store the session', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.avatar.data.set('theme', 'dark'))
    expect(first.setCookies).toHaveLength(1)
    await t.request(first.cookie, (h) => expect(h.avatar.data.get('theme')).toBe('dark'))
  })

  it('a value set and removed again in the same request stores nothing', async () => {
    const t = setup()
    const { setCookies } = await t.request(undefined, (h) => {
      h.session.data.set('a', 1)
      h.session.data.pop('a')
    })
    expect(setCookies).toEqual([])
    expect(await t.memory.count()).toBe(0)
  })
})

describe('2. cookies', () => {
  it('writes id + HMAC-SHA256 signature with HttpOnly, SameSite=Lax, Path=/ and Max-Age', async () => {
    const t = setup()
    const { setCookies, handle } = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const [header] = setCookies
    expect(header).toBe(
      `sid=${new KeyRingForTests(SECRET).sign(handle.session.id)}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax`,
    )
  })

  it('sets Secure on secure requests, and on X-Forwarded-Proto https only with trustProxy', async () => {
    const write = (h: RequestSession) => h.session.data.set('a', 1)
    const t = setup()
    expect((await t.request(undefined, write, { encrypted: true })).setCookies[0]).toContain('; Secure')
    expect((await t.request(undefined, write, { forwardedProto: 'https' })).setCookies[0]).not.toContain(
      'Secure',
    )
    const proxied = setup({ trustProxy: true })
    expect(
      (await proxied.request(undefined, write, { forwardedProto: 'https, http' })).setCookies[0],
    ).toContain('; Secure')
    expect((await proxied.request(undefined, write, { forwardedProto: 'http' })).setCookies[0]).not.toContain(
      'Secure',
    )
  })

  it('supports the __Host- prefix (always Secure, Path=/, no Domain) and other cookie options', async () => {
    const t = setup({
      cookie: { name: '__Host-sid', sameSite: 'strict', partitioned: true, priority: 'high' },
    })
    const { setCookies } = await t.request(undefined, (h) => h.session.data.set('a', 1), { encrypted: true })
    expect(setCookies[0]).toMatch(
      /^__Host-sid=[^;]+; Max-Age=86400; Path=\/; HttpOnly; Secure; Partitioned; Priority=High; SameSite=Strict$/,
    )
  })

  it('emits insecureCookie and still sends the cookie when a Secure cookie answers a plain-http request', async () => {
    const t = setup({ cookie: { secure: true } })
    const { setCookies } = await t.request(undefined, (h) => h.session.data.set('a', 1))
    expect(setCookies[0]).toContain('; Secure')
    expect(t.events).toContainEqual({ type: 'insecureCookie', cookieName: 'sid' })
  })

  it('asks whether the request is secure only when it writes a cookie', async () => {
    const t = setup({ trustProxy: true })
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    let asked = 0
    const request = (cookie: string | undefined): SessionRequest => ({
      cookie,
      get encrypted() {
        asked += 1
        return false
      },
      get forwardedProto() {
        asked += 1
        return 'https'
      },
    })
    const read = await t.manager.open(request(first.cookie))
    expect(read.session.data.get('a')).toBe(1)
    expect(await read.commit()).toEqual([])
    expect(asked).toBe(0)
    const fresh = await t.manager.open(request(undefined))
    fresh.session.data.set('b', 2)
    const [setCookie] = await fresh.commit()
    expect(setCookie).toContain('; Secure')
    expect(asked).toBe(2)
  })

  it('accepts a cookie signed with an older key and re-issues it with the newest', async () => {
    const before = setup({ secret: OLD_SECRET })
    const first = await before.request(undefined, (h) => h.session.data.set('a', 1))
    const after = setup({ secret: [SECRET, OLD_SECRET], store: before.memory })
    const rotated = await after.request(first.cookie, (h) => expect(h.session.data.get('a')).toBe(1))
    expect(rotated.setCookies).toHaveLength(1)
    expect(rotated.cookie).toBe(`sid=${new KeyRingForTests(SECRET).sign(rotated.handle.session.id)}`)
    expect(rotated.setCookies[0]).toContain('Max-Age=86400')
    const again = await after.request(rotated.cookie)
    expect(again.setCookies).toEqual([])
  })

  it.each([
    ['forged', (cookie: string) => `${cookie.slice(0, -2)}AA`],
    ['malformed', () => 'sid=nonsense'],
    ['oversized', (cookie: string) => `${cookie}${'x'.repeat(4000)}`],
  ])(
    'a %s cookie costs no store call, emits cookieRejected and gives a fresh session',
    async (reason, spoil) => {
      const t = setup()
      const first = await t.request(undefined, (h) => h.session.data.set('secret', 1))
      t.calls.length = 0
      t.events.length = 0
      const bad = await t.request(spoil(first.cookie!), (h) => {
        expect(h.session.isNew).toBe(true)
        expect(h.session.data.get('secret')).toBeUndefined()
      })
      expect(t.calls).toEqual([])
      expect(t.events).toEqual([{ type: 'cookieRejected', reason }])
      expect(bad.setCookies).toEqual([])
    },
  )

  it('reads the session cookie among other cookies', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    await t.request(`theme=dark; ${first.cookie}; other=1`, (h) => expect(h.session.data.get('a')).toBe(1))
  })
})

describe('3. ids', () => {
  it('the store holds the digest of the id, never the id itself', async () => {
    const t = setup()
    const { handle } = await t.request(undefined, (h) => h.sessions.login({ identity: 'ada' }))
    const id = handle.session.id
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const dump = await t.memory.dump()
    expect(dump.sessions.map((entry) => entry.digest)).toEqual([digestId(id)])
    expect(JSON.stringify(dump)).not.toContain(id)
  })
})

describe('4. expiry', () => {
  it('an idle session expires after ttl, on the server', async () => {
    const t = setup({ ttl: 600, touchAfter: 60 })
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    t.advance(601)
    t.events.length = 0
    const later = await t.request(first.cookie, (h) => {
      expect(h.session.isNew).toBe(true)
      expect(h.session.data.get('a')).toBeUndefined()
    })
    expect(later.setCookies).toEqual([])
    expect(t.events).toEqual([{ type: 'expired', digest: digestId(first.handle.session.id) }])
  })

  it('activity keeps a session alive until its absolute lifetime', async () => {
    const t = setup({ ttl: 600, absoluteTtl: 1800, touchAfter: 60 })
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    expect(first.setCookies[0]).toContain('Max-Age=1800')
    for (let minute = 5; minute < 30; minute += 5) {
      t.advance(300)
      await t.request(first.cookie, (h) => expect(h.session.data.get('a'), `minute ${minute}`).toBe(1))
    }
    t.advance(301)
    await t.request(first.cookie, (h) => expect(h.session.data.get('a')).toBeUndefined())
  })

  it('persists lastAccess at most once per touchAfter and never re-sends the cookie', async () => {
    const t = setup({ ttl: 600 }) // touchAfter defaults to 60 s
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    t.calls.length = 0
    for (let i = 0; i < 5; i++) {
      t.advance(10)
      expect((await t.request(first.cookie)).setCookies).toEqual([])
    }
    expect(t.calls).toEqual(['get', 'get', 'get', 'get', 'get'])
    t.advance(20)
    await t.request(first.cookie)
    expect(t.calls.slice(5)).toEqual(['get', 'touch'])
    const stored = await t.memory.get(first.handle.session.id)
    expect(stored?.meta.lastAccess).toBe(t.now())
  })

  it('a write moves lastAccess without a separate touch and without a new cookie', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    t.calls.length = 0
    t.advance(5)
    const write = await t.request(first.cookie, (h) => h.session.data.set('a', 2))
    expect(write.setCookies).toEqual([])
    expect(t.calls).toEqual(['get', 'save'])
    expect((await t.memory.get(first.handle.session.id))?.meta.lastAccess).toBe(t.now())
  })

  it("cookie.maxAge 'session' writes a browser-session cookie and a number a fixed Max-Age", async () => {
    const browser = setup({ cookie: { maxAge: 'session' } })
    const write = (h: RequestSession) => h.session.data.set('a', 1)
    expect((await browser.request(undefined, write)).setCookies[0]).not.toContain('Max-Age')
    const fixed = setup({ cookie: { maxAge: 120 } })
    expect((await fixed.request(undefined, write)).setCookies[0]).toContain('Max-Age=120')
    const noAbsolute = setup({ absoluteTtl: null })
    expect((await noAbsolute.request(undefined, write)).setCookies[0]).not.toContain('Max-Age')
  })
})

describe('5. commit', () => {
  it('an unchanged session writes nothing', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    t.calls.length = 0
    t.events.length = 0
    await t.request(first.cookie, (h) => h.session.data.get('a'))
    expect(t.calls).toEqual(['get'])
    expect(types(t.events)).toEqual(['loaded'])
  })

  it('commit() is idempotent', async () => {
    const t = setup()
    const handle = await t.manager.open({ cookie: undefined, encrypted: false })
    handle.session.data.set('a', 1)
    const [one, two] = await Promise.all([handle.commit(), handle.commit()])
    expect(one).toBe(two)
    expect(t.calls).toEqual(['save'])
  })

  it('logout deletes the session, clears the cookie and a slower request cannot bring it back', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const slow = await t.manager.open({ cookie: first.cookie, encrypted: false })
    const out = await t.request(first.cookie, (h) => h.sessions.logout())
    expect(out.setCookies).toEqual(['sid=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'])
    expect(types(t.events)).toContain('destroyed')
    slow.session.data.set('b', 2)
    // the late request neither stores nor touches the cookie (a clear could undo a newer login)
    expect(await slow.commit()).toEqual([])
    expect(slow.session.isDestroyed).toBe(true)
    expect(await t.memory.count()).toBe(0)
    await t.request(first.cookie, (h) => expect(h.session.isNew).toBe(true))
  })

  it('data written after logout in the same request starts a new session instead of clearing', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const out = await t.request(first.cookie, async (h) => {
      const old = h.session.id
      await h.sessions.logout()
      h.session.data.set('flash', 'bye')
      expect(h.session.id).not.toBe(old)
    })
    expect(out.setCookies).toHaveLength(1)
    expect(out.setCookies[0]).not.toContain('Max-Age=0')
    await t.request(out.cookie, (h) => expect(h.session.data.get('flash')).toBe('bye'))
  })
})

describe('6. login, logout everywhere, list', () => {
  it('login replaces the id, snapshots auth, rebuilds the avatar and drops data', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('cart', 3))
    const oldId = first.handle.session.id
    const login = await t.request(first.cookie, async (h) => {
      const auth = { identity: 'ada', tags: ['admin'], profile: { name: 'Ada' } }
      const session = await h.sessions.login(auth)
      auth.tags.push('mutated later')
      expect(h.session).toBe(session)
      expect(session.id).not.toBe(oldId)
      expect(h.avatar.identity).toBe('ada')
      expect(h.avatar.hasTag('admin')).toBe(true)
      expect(h.avatar.isAnonymous).toBe(false)
      expect(session.auth).toEqual({ identity: 'ada', tags: ['admin'], profile: { name: 'Ada' } })
      expect(Object.isFrozen(session.auth)).toBe(true)
      expect(h.session.data.get('cart')).toBeUndefined()
    })
    expect(login.setCookies).toHaveLength(1)
    expect(types(t.events)).toContain('regenerated')
    // the old id is invalid at once
    expect(await t.memory.get(oldId)).toBeUndefined()
    await t.request(first.cookie, (h) => expect(h.session.isNew).toBe(true))
    await t.request(login.cookie, (h) => expect(h.avatar.identity).toBe('ada'))
  })

  it('a slow request on the old id that ends after a login does not clear the new cookie', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const slow = await t.manager.open({ cookie: first.cookie, encrypted: false })
    const login = await t.request(first.cookie, (h) => h.sessions.login({ identity: 'ada' }))
    slow.session.data.set('late', true)
    expect(await slow.commit()).toEqual([])
    await t.request(login.cookie, (h) => {
      expect(h.avatar.identity).toBe('ada')
      expect(h.session.data.get('late')).toBeUndefined()
    })
  })

  it('login with keepData carries the data over to the new id', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('cart', 3))
    const login = await t.request(first.cookie, (h) =>
      h.sessions.login({ identity: 'ada' }, { keepData: true }),
    )
    await t.request(login.cookie, (h) => expect(h.session.data.get('cart')).toBe(3))
  })

  it('a login that cannot be stored changes nothing: the old session stays valid', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('fn', 'later a function'))
    const handle = await t.manager.open({ cookie: first.cookie, encrypted: false })
    handle.session.data.set('fn', () => 1)
    const error = await handle.sessions
      .login({ identity: 'ada' }, { keepData: true })
      .catch((caught: unknown) => caught)
    expect(SessionError.is(error) && error.code).toBe('NOT_SERIALIZABLE')
    expect(await t.memory.get(first.handle.session.id)).toBeDefined()
  })

  it('login refuses an auth without identity', async () => {
    const t = setup()
    const handle = await t.manager.open({ cookie: undefined, encrypted: false })
    const error = await handle.sessions.login({} as never).catch((caught: unknown) => caught)
    expect(SessionError.is(error) && error.code).toBe('INVALID_AUTH')
  })

  it('logoutEverywhere destroys every session of the identity, optionally keeping the current one', async () => {
    const t = setup()
    const login = (h: RequestSession) => h.sessions.login({ identity: 'ada' })
    const laptop = await t.request(undefined, login)
    const phone = await t.request(undefined, login)
    const tablet = await t.request(undefined, login)
    await t.request(undefined, (h) => h.sessions.login({ identity: 'bob' }))
    const kept = await t.request(laptop.cookie, async (h) => {
      expect(await h.sessions.logoutEverywhere({ keepCurrent: true })).toBe(2)
    })
    expect(kept.setCookies).toEqual([])
    await t.request(phone.cookie, (h) => expect(h.session.isNew).toBe(true))
    await t.request(tablet.cookie, (h) => expect(h.session.isNew).toBe(true))
    await t.request(laptop.cookie, (h) => expect(h.avatar.identity).toBe('ada'))
    const all = await t.request(laptop.cookie, async (h) => {
      expect(await h.sessions.logoutEverywhere()).toBe(1)
      expect(h.session.isNew).toBe(true)
    })
    expect(all.setCookies[0]).toContain('Max-Age=0')
    expect(await t.memory.listByIdentity('bob')).toHaveLength(1)
  })

  it('list shows the identity’s sessions with digests and meta and marks the current one', async () => {
    const t = setup()
    const login = (h: RequestSession) => h.sessions.login({ identity: 'ada' })
    const one = await t.request(undefined, login)
    await t.request(undefined, login)
    await t.request(one.cookie, async (h) => {
      const list = await h.sessions.list()
      expect(list).toHaveLength(2)
      expect(list.filter((info) => info.current).map((info) => info.digest)).toEqual([digestId(h.session.id)])
      expect(JSON.stringify(list)).not.toContain(h.session.id)
      expect(list[0]?.meta.createdAt).toBe(t.now())
    })
    await t.request(undefined, async (h) => expect(await h.sessions.list()).toEqual([]))
  })

  it('regenerate gives a new empty session and deletes the old one', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const again = await t.request(first.cookie, async (h) => {
      await h.regenerate()
      h.session.data.set('b', 2)
    })
    expect(again.cookie).not.toBe(first.cookie)
    await t.request(again.cookie, (h) => {
      expect(h.session.data.get('a')).toBeUndefined()
      expect(h.session.data.get('b')).toBe(2)
    })
    await t.request(first.cookie, (h) => expect(h.session.isNew).toBe(true))
  })

  it('reload drops unsaved changes and save persists before the commit', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    await t.request(first.cookie, async (h) => {
      h.session.data.set('a', 99)
      await h.reload()
      expect(h.session.data.get('a')).toBe(1)
      h.session.data.set('b', 2)
      await h.save()
      expect(await t.memory.get(h.session.id).then((s) => s?.data.get('b'))).toBe(2)
    })
  })
})

describe('7. concurrency', () => {
  it('two overlapping requests that change different paths both survive', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    const one = await t.manager.open({ cookie: first.cookie, encrypted: false })
    const two = await t.manager.open({ cookie: first.cookie, encrypted: false })
    one.session.data.set('cart.apples', 2)
    two.session.data.set('prefs.theme', 'dark')
    two.avatar.data.set('visits', 1)
    await Promise.all([two.commit(), one.commit()])
    await t.request(first.cookie, (h) => {
      expect(h.session.data.get('a')).toBe(1)
      expect(h.session.data.get('cart.apples')).toBe(2)
      expect(h.session.data.get('prefs.theme')).toBe('dark')
      expect(h.avatar.data.get('visits')).toBe(1)
    })
  })
})

describe('8. values a store cannot persist', () => {
  it('a function in the data fails the commit with NOT_SERIALIZABLE and stores nothing', async () => {
    const t = setup()
    const handle = await t.manager.open({ cookie: undefined, encrypted: false })
    handle.session.data.set('fn', () => 1)
    const error = await handle.commit().catch((caught: unknown) => caught)
    expect(SessionError.is(error) && error.code).toBe('NOT_SERIALIZABLE')
    expect(t.calls).toEqual([])
  })

  it('a session over maxSessionBytes fails with SESSION_TOO_LARGE and stores nothing', async () => {
    const t = setup({ maxSessionBytes: 1024 })
    const first = await t.request(undefined, (h) => h.session.data.set('small', 'x'))
    t.calls.length = 0
    const handle = await t.manager.open({ cookie: first.cookie, encrypted: false })
    handle.session.data.set('big', 'x'.repeat(2000))
    const error = await handle.commit().catch((caught: unknown) => caught)
    expect(SessionError.is(error) && error.code).toBe('SESSION_TOO_LARGE')
    expect(t.calls).toEqual(['get'])
    await t.request(first.cookie, (h) => expect(h.session.data.get('big')).toBeUndefined())
  })
})

describe('store failures', () => {
  it("fail closed by default: open throws STORE_UNAVAILABLE (503) with the store's error as cause", async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('a', 1))
    t.state.broken = true
    const error = await t.manager
      .open({ cookie: first.cookie, encrypted: false })
      .catch((caught: unknown) => caught)
    expect(SessionError.is(error) && [error.code, error.status]).toEqual(['STORE_UNAVAILABLE', 503])
    expect(((error as Error).cause as Error).message).toBe('connection refused')
  })

  it('a failing save at commit throws STORE_UNAVAILABLE', async () => {
    const t = setup()
    const handle = await t.manager.open({ cookie: undefined, encrypted: false })
    handle.session.data.set('a', 1)
    t.state.broken = true
    await expect(handle.commit()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 })
  })

  it("onStoreError 'anonymous' continues with an unsaved anonymous session and emits storeError", async () => {
    const t = setup({ onStoreError: 'anonymous' })
    const first = await t.request(undefined, (h) => h.sessions.login({ identity: 'ada' }))
    t.state.broken = true
    const degraded = await t.request(first.cookie, (h) => {
      expect(h.avatar.isAnonymous).toBe(true)
      h.session.data.set('lost', true)
    })
    expect(degraded.setCookies).toEqual([])
    expect(t.events.filter((event) => event.type === 'storeError')).toHaveLength(1)
    t.state.broken = false
    await t.request(first.cookie, (h) => expect(h.avatar.identity).toBe('ada'))
  })

  it("onStoreError 'anonymous' still throws when a logout or a login cannot reach the store", async () => {
    const t = setup({ onStoreError: 'anonymous' })
    const first = await t.request(undefined, (h) => h.sessions.login({ identity: 'ada' }))
    const handle = await t.manager.open({ cookie: first.cookie, encrypted: false })
    t.state.broken = true
    await expect(handle.sessions.logout()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' })
    await expect(handle.sessions.login({ identity: 'bob' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    })
    expect(handle.avatar.identity).toBe('ada')
    t.state.broken = false
    await t.request(first.cookie, (h) => expect(h.avatar.identity).toBe('ada'))
  })
})

describe('events', () => {
  it('subscribe() returns an unsubscribe function', async () => {
    const t = setup()
    const seen: string[] = []
    const stop = t.manager.subscribe((event) => seen.push(event.type))
    await t.request(undefined, (h) => h.session.data.set('a', 1))
    stop()
    await t.request(undefined, (h) => h.session.data.set('a', 1))
    expect(seen).toEqual(['created', 'committed'])
  })

  it('forwards the store’s evicted events', async () => {
    const t = setup({ store: new MemorySessionStore({ maxSessions: 1, sweepInterval: 0, now: () => START }) })
    await t.request(undefined, (h) => h.session.data.set('a', 1))
    await t.request(undefined, (h) => h.session.data.set('a', 2))
    expect(types(t.events)).toContain('evicted')
  })
})

describe('settle()', () => {
  it('answers a read at once, a write with a promise, and shares its result with commit()', async () => {
    const t = setup()
    const first = await t.request(undefined, (h) => h.session.data.set('count', 1))
    const read = await t.manager.open({ cookie: first.cookie, encrypted: false })
    expect(read.session.data.get('count')).toBe(1)
    const settled = read.settle()
    expect(settled).toEqual([])
    expect(read.settle()).toBe(settled)
    expect(await read.commit()).toBe(settled)

    const write = await t.manager.open({ cookie: first.cookie, encrypted: false })
    write.session.data.set('count', 2)
    const pending = write.settle()
    expect(pending).toBeInstanceOf(Promise)
    expect(write.commit()).toBe(pending)
    expect(await pending).toEqual([])
    expect((await t.manager.open({ cookie: first.cookie, encrypted: false })).session.data.get('count')).toBe(
      2,
    )

    const created = await t.manager.open({ cookie: undefined, encrypted: false })
    created.session.data.set('count', 1)
    const cookies = await created.settle()
    expect(cookies).toHaveLength(1)
    expect(await created.commit()).toBe(cookies)
  })
})
