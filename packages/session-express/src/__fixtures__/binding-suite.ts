import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Bag } from '@satchel/bag'
import {
  createSessionManager,
  MemorySessionStore,
  type Session,
  type SessionControl,
  type SessionEvent,
  type SessionManager,
  type SessionOptions,
} from '@satchel/session-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Browser, type SessionView } from './browser.js'
import { controlledStore } from './controlled-store.js'

/** A running test app. */
export interface RunningApp {
  readonly url: string
  close(): Promise<void>
}

/**
 * Builds and starts an app on an ephemeral port, with the session middleware for `manager` and
 * these routes, each answering `view(session)` as JSON unless stated:
 * GET /read · POST /write (count + 1) · POST /put?key= (`routes.put`) · POST /login?identity= ·
 * POST /login-redirect (login, then 303 to /read, no body) · POST /logout ·
 * POST /logout-everywhere (`{ count }`) · GET /list (`{ sessions: [{ current }] }`).
 */
export type StartApp = (manager: SessionManager) => Promise<RunningApp>

export const SECRET = 'a-secret-of-at-least-thirty-two-bytes-0001'
export const OTHER_SECRET = 'another-secret-at-least-thirty-two-bytes-02'

/** The JSON every test app answers with. */
export function view(session: Session): SessionView {
  const count = session.data.get('count')
  const prefs = session.data.get('prefs')
  return {
    identity: session.avatar.identity,
    tags: [...session.avatar.tags],
    count: typeof count === 'number' ? count : null,
    ...(prefs instanceof Bag ? { prefs: [...prefs.keys()].map(String).sort() } : {}),
  }
}

/** Shared route logic, so every framework's app does exactly the same thing. */
export const routes = {
  write(session: Session): void {
    const count = session.data.get('count')
    session.data.set('count', (typeof count === 'number' ? count : 0) + 1)
  },
  /** Sets `prefs.<key>` to true. */
  put(session: Session, key: string | undefined): void {
    session.data.set(`prefs.${key ?? 'none'}`, true)
  },
  login(sessions: SessionControl, identity: string | undefined): Promise<Session> {
    return sessions.login({ identity: identity ?? 'alice', tags: ['admin'] }, { keepData: true })
  },
  async logoutEverywhere(sessions: SessionControl): Promise<{ count: number }> {
    return { count: await sessions.logoutEverywhere({ keepCurrent: true }) }
  },
  async list(sessions: SessionControl): Promise<{ sessions: { current: boolean }[] }> {
    return { sessions: (await sessions.list()).map((info) => ({ current: info.current })) }
  },
}

/** Listens on an ephemeral port and gives the URL and a close that also drops kept-alive sockets. */
export async function listen(server: Server): Promise<RunningApp> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/** The behaviour every binding must show over real HTTP. */
export function describeBinding(name: string, start: StartApp): void {
  // Twice: through a store that makes the binding wait (a Proxy over the memory store, so every
  // call is a promise, as with Redis), and on a plain MemorySessionStore, which answers at once.
  for (const kind of ['waiting', 'immediate'] as const) describeBindingOn(name, kind, start)
}

function describeBindingOn(name: string, kind: 'waiting' | 'immediate', start: StartApp): void {
  // Failures and call counts need the switches of the waiting store.
  const itWithSwitches = kind === 'waiting' ? it : () => {}
  describe(`${name} binding over HTTP (${kind} store)`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function setup(options: Partial<SessionOptions> = {}) {
      // The immediate run's switches are inert: delays are then simply absent.
      const { store, control } =
        kind === 'waiting'
          ? controlledStore()
          : { store: new MemorySessionStore(), control: { failing: false, saveDelay: 0, calls: new Map() } }
      const manager = createSessionManager({ secret: SECRET, store, ...options })
      const events: SessionEvent[] = []
      const unsubscribe = manager.subscribe((event) => events.push(event))
      const app = await start(manager)
      cleanups.push(async () => {
        unsubscribe()
        await app.close()
        await manager.close()
        await store.close()
      })
      return { app, store, control, manager, events, browser: new Browser() }
    }

    it('sets no cookie and stores nothing for a visitor who only reads', async () => {
      const { app, store, browser } = await setup()
      const response = await browser.fetch(`${app.url}/read`)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ identity: 'anonymous', tags: [], count: null })
      expect(response.headers.getSetCookie()).toEqual([])
      expect(await store.count()).toBe(0)
    })

    it('sets an HttpOnly SameSite=Lax cookie on the first write and reads the data back', async () => {
      const { app, store, browser } = await setup()
      const response = await browser.fetch(`${app.url}/write`, { method: 'POST' })
      expect(response.status).toBe(200)
      const [cookie, ...rest] = response.headers.getSetCookie()
      expect(rest).toEqual([])
      expect(cookie).toMatch(/^sid=[^;]+;/)
      expect(cookie).toMatch(/;\s*HttpOnly/i)
      expect(cookie).toMatch(/;\s*SameSite=Lax/i)
      expect(cookie).toMatch(/;\s*Path=\//i)
      expect(cookie).not.toMatch(/;\s*Secure/i)
      expect(await store.count()).toBe(1)
      const read = await browser.fetch(`${app.url}/read`)
      expect(await read.json()).toMatchObject({ count: 1 })
      expect(read.headers.getSetCookie()).toEqual([])
    })

    it('keeps the cookie unchanged across later writes', async () => {
      const { app, browser } = await setup()
      await browser.json(`${app.url}/write`, 'POST')
      const first = browser.cookies.get('sid')
      const response = await browser.fetch(`${app.url}/write`, { method: 'POST' })
      expect(await response.json()).toMatchObject({ count: 2 })
      expect(response.headers.getSetCookie()).toEqual([])
      expect(browser.cookies.get('sid')).toBe(first)
    })

    it('keeps both changes of two overlapping requests that write different paths', async () => {
      const { app, control, browser } = await setup()
      await browser.json(`${app.url}/put?key=first`, 'POST')
      control.saveDelay = 60
      const [left, right] = await Promise.all([
        browser.fetch(`${app.url}/put?key=left`, { method: 'POST' }),
        browser.fetch(`${app.url}/put?key=right`, { method: 'POST' }),
      ])
      expect([left.status, right.status]).toEqual([200, 200])
      control.saveDelay = 0
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ prefs: ['first', 'left', 'right'] })
    })

    it('gives a new id on login, shows the identity at once, and invalidates the old id', async () => {
      const { app, browser } = await setup()
      await browser.json(`${app.url}/write`, 'POST')
      const before = browser.clone()
      const login = await browser.json(`${app.url}/login?identity=alice`, 'POST')
      expect(login).toEqual({ identity: 'alice', tags: ['admin'], count: 1 })
      expect(browser.cookies.get('sid')).not.toBe(before.cookies.get('sid'))
      expect(await browser.json(`${app.url}/read`)).toEqual({ identity: 'alice', tags: ['admin'], count: 1 })
      expect(await before.json(`${app.url}/read`)).toEqual({ identity: 'anonymous', tags: [], count: null })
    })

    it('commits the login before a redirect leaves, with the new cookie on the redirect', async () => {
      const { app, control, browser } = await setup()
      control.saveDelay = 80
      const response = await browser.fetch(`${app.url}/login-redirect`, { method: 'POST' })
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/read')
      expect(response.headers.getSetCookie()).toHaveLength(1)
      control.saveDelay = 0
      const followed = await browser.json(`${app.url}/read`)
      expect(followed.identity).toBe('alice')
    })

    it('clears the cookie on logout and the old cookie no longer works', async () => {
      const { app, browser } = await setup()
      await browser.json(`${app.url}/login`, 'POST')
      const stolen = browser.clone()
      const response = await browser.fetch(`${app.url}/logout`, { method: 'POST' })
      expect(response.status).toBe(200)
      const [cleared] = response.headers.getSetCookie()
      expect(cleared).toMatch(/^sid=;|Max-Age=0/i)
      expect(cleared).toMatch(/Max-Age=0/i)
      expect(browser.cookies.has('sid')).toBe(false)
      expect(await stolen.json(`${app.url}/read`)).toEqual({ identity: 'anonymous', tags: [], count: null })
    })

    it("logs out the identity's other sessions and keeps the current one", async () => {
      const { app } = await setup()
      const [laptop, phone, stranger] = [new Browser(), new Browser(), new Browser()]
      await laptop.json(`${app.url}/login?identity=alice`, 'POST')
      await phone.json(`${app.url}/login?identity=alice`, 'POST')
      await stranger.json(`${app.url}/login?identity=bob`, 'POST')
      expect(await laptop.json(`${app.url}/list`)).toEqual({
        sessions: expect.arrayContaining([{ current: true }, { current: false }]),
      })
      expect(await laptop.json(`${app.url}/logout-everywhere`, 'POST')).toEqual({ count: 1 })
      expect((await laptop.json(`${app.url}/read`)).identity).toBe('alice')
      expect((await phone.json(`${app.url}/read`)).identity).toBe('anonymous')
      expect((await stranger.json(`${app.url}/read`)).identity).toBe('bob')
    })

    it('treats a session idle for longer than ttl as gone, and keeps one used within it', async () => {
      let clock = Date.now()
      const { app, browser, events } = await setup({ ttl: 60, now: () => clock })
      await browser.json(`${app.url}/write`, 'POST')
      clock += 50_000
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: 1 })
      clock += 50_000
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: 1 })
      clock += 61_000
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: null })
      expect(events.map((event) => event.type)).toContain('expired')
    })

    it('ends a session at its absolute lifetime even while it is in use', async () => {
      let clock = Date.now()
      const { app, browser } = await setup({ ttl: 60, absoluteTtl: 100, now: () => clock })
      await browser.json(`${app.url}/write`, 'POST')
      for (const step of [40_000, 40_000, 19_000]) {
        clock += step
        expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: 1 })
      }
      clock += 2_000
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: null })
    })

    it('accepts a cookie signed with an older key, re-issues it with the newest, and drops retired keys', async () => {
      const { app, store, browser } = await setup()
      await browser.json(`${app.url}/write`, 'POST')
      const old = browser.clone()
      const rotated = await start(createSessionManager({ secret: [OTHER_SECRET, SECRET], store }))
      cleanups.push(() => rotated.close())
      const response = await browser.fetch(`${rotated.url}/read`)
      expect(await response.json()).toMatchObject({ count: 1 })
      expect(response.headers.getSetCookie()).toHaveLength(1)
      expect(browser.cookies.get('sid')).not.toBe(old.cookies.get('sid'))
      const again = await browser.fetch(`${rotated.url}/read`)
      expect(again.headers.getSetCookie()).toEqual([])
      const retired = await start(createSessionManager({ secret: OTHER_SECRET, store }))
      cleanups.push(() => retired.close())
      expect(await browser.json(`${retired.url}/read`)).toMatchObject({ count: 1 })
      expect(await old.json(`${retired.url}/read`)).toMatchObject({ count: null })
    })

    itWithSwitches('treats a tampered cookie as no session, without asking the store', async () => {
      const { app, browser, control, events } = await setup()
      await browser.json(`${app.url}/write`, 'POST')
      // Change a character inside the signature (`<id>.<signature>`); not the last one, whose low
      // bits are base64url padding.
      const value = browser.cookies.get('sid') ?? ''
      const at = value.length - 10
      const swapped = value[at] === 'A' ? 'B' : 'A'
      browser.cookies.set('sid', `${value.slice(0, at)}${swapped}${value.slice(at + 1)}`)
      const gets = control.calls.get('get') ?? 0
      const response = await browser.fetch(`${app.url}/read`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ count: null })
      expect(control.calls.get('get') ?? 0).toBe(gets)
      expect(events).toContainEqual({ type: 'cookieRejected', reason: 'forged' })
    })

    itWithSwitches('answers 503 when the store is unavailable, for a read and for a write', async () => {
      const { app, control, browser } = await setup()
      await browser.json(`${app.url}/write`, 'POST')
      control.failing = true
      expect((await browser.fetch(`${app.url}/read`)).status).toBe(503)
      expect((await new Browser().fetch(`${app.url}/write`, { method: 'POST' })).status).toBe(503)
      control.failing = false
      expect(await browser.json(`${app.url}/read`)).toMatchObject({ count: 1 })
    })

    itWithSwitches(
      "goes on with an anonymous session when the store fails and onStoreError is 'anonymous'",
      async () => {
        const { app, control, browser, events } = await setup({ onStoreError: 'anonymous' })
        await browser.json(`${app.url}/login`, 'POST')
        control.failing = true
        const response = await browser.fetch(`${app.url}/read`)
        expect(response.status).toBe(200)
        expect(await response.json()).toMatchObject({ identity: 'anonymous', count: null })
        expect(events.map((event) => event.type)).toContain('storeError')
      },
    )

    it('sends a Secure cookie over plain http when told to, with an insecureCookie warning', async () => {
      const { app, browser, events } = await setup({ cookie: { secure: true } })
      const response = await browser.fetch(`${app.url}/write`, { method: 'POST' })
      expect(response.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i)
      expect(events).toContainEqual({ type: 'insecureCookie', cookieName: 'sid' })
    })

    it('marks the cookie Secure behind a trusted proxy that says https, and only then', async () => {
      const trusted = await setup({ trustProxy: true })
      const https = { method: 'POST', headers: { 'x-forwarded-proto': 'https' } }
      const secure = await trusted.browser.fetch(`${trusted.app.url}/write`, https)
      expect(secure.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i)
      const untrusted = await setup()
      const plain = await untrusted.browser.fetch(`${untrusted.app.url}/write`, https)
      expect(plain.headers.getSetCookie()[0]).not.toMatch(/;\s*Secure/i)
    })
  })
}
