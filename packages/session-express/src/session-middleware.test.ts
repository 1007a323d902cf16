import { createSessionManager } from '@satchel/session-core'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { describeBinding, listen, type RunningApp, SECRET } from './__fixtures__/binding-suite.js'
import { Browser } from './__fixtures__/browser.js'
import { controlledStore } from './__fixtures__/controlled-store.js'
import { expressVersions, startExpressApp } from './__fixtures__/express-app.js'
import { type Avatar, type Session, type SessionControl, sessionMiddleware } from './index.js'

// How an app types its auth snapshot (README "Typing your AuthInfo").
declare module '@satchel/session-express' {
  interface AuthInfo {
    displayName?: string
  }
}

for (const [name, framework] of expressVersions) {
  describeBinding(name, (manager) => startExpressApp(framework, manager))

  describe(`${name} response hooks`, () => {
    const running: RunningApp[] = []
    afterEach(async () => {
      for (const app of running.splice(0)) await app.close()
    })

    const { store, control } = controlledStore()
    async function start(register: (app: ReturnType<typeof framework>) => void) {
      const app = framework()
      app.use(sessionMiddleware({ secret: SECRET, store }))
      register(app)
      const server = await listen(app.listen(0))
      running.push(server)
      return server
    }

    // Express gives each request and response a hidden class of its own: every property added
    // to one builds another, which cost more than the rest of a session read (bench/README.md).
    it('adds no property to the request or the response', async () => {
      const satchelKeys = (target: object) =>
        Reflect.ownKeys(target).filter(
          (key) =>
            (typeof key === 'symbol' && key.description?.startsWith('satchel')) ||
            ['session', 'avatar', 'sessions'].includes(String(key)),
        )
      const app = await start((app) => {
        app.get('/', (req, res) => {
          const keys = { req: satchelKeys(req).length, res: satchelKeys(res).length }
          req.session.data.set('n', 1)
          res.json(keys)
        })
      })
      const response = await fetch(`${app.url}/`)
      expect(await response.json()).toEqual({ req: 0, res: 0 })
      expect(response.headers.getSetCookie()).toHaveLength(1)
    })

    it('types req.session, req.avatar and req.sessions without casts', async () => {
      const app = await start((app) => {
        app.get('/', (req, res) => {
          expectTypeOf(req.session).toExtend<Session>()
          expectTypeOf(req.avatar).toEqualTypeOf<Avatar>()
          expectTypeOf(req.sessions).toEqualTypeOf<SessionControl>()
          res.json({ same: req.session.avatar === req.avatar, anonymous: req.avatar.isAnonymous })
        })
      })
      expect(await (await fetch(`${app.url}/`)).json()).toEqual({ same: true, anonymous: true })
    })

    it("types the app's AuthInfo fields on req.session.auth through one augmentation", async () => {
      const app = await start((app) => {
        app.post('/login', (req, res, next) => {
          req.sessions.login({ identity: 'ada', displayName: 'Ada Lovelace' }).then(() => {
            const displayName = req.session.auth?.displayName
            expectTypeOf(displayName).toEqualTypeOf<string | undefined>()
            res.json({ displayName })
          }, next)
        })
      })
      expect(await (await fetch(`${app.url}/login`, { method: 'POST' })).json()).toEqual({
        displayName: 'Ada Lovelace',
      })
    })

    it('sets the cookie when the head is written explicitly and the body streamed', async () => {
      const app = await start((app) => {
        app.get('/stream', (req, res) => {
          req.session.data.set('streamed', true)
          res.writeHead(200, { 'content-type': 'text/plain' })
          res.write('one ')
          setTimeout(() => res.end('two'), 10)
        })
      })
      const response = await fetch(`${app.url}/stream`)
      expect(response.headers.getSetCookie()).toHaveLength(1)
      expect(response.headers.get('content-type')).toBe('text/plain')
      expect(await response.text()).toBe('one two')
    })

    it('lets the first of two mounts own the request (one commit, one cookie)', async () => {
      const app = await start((app) => {
        app.use(sessionMiddleware({ secret: SECRET, store }))
        app.get('/twice', (req, res) => {
          req.session.data.set('twice', true)
          res.send('ok')
        })
      })
      const response = await fetch(`${app.url}/twice`)
      expect(await response.text()).toBe('ok')
      expect(response.headers.getSetCookie()).toHaveLength(1)
    })

    it('keeps Set-Cookie values other middleware added', async () => {
      const app = await start((app) => {
        app.get('/', (req, res) => {
          res.cookie('theme', 'dark')
          req.session.data.set('seen', true)
          res.send('ok')
        })
      })
      const cookies = (await fetch(`${app.url}/`)).headers.getSetCookie()
      expect(cookies.map((cookie) => cookie.split('=')[0])).toEqual(['theme', 'sid'])
    })

    it('maps unknown req.session properties to session data, including objects mutated in place', async () => {
      const app = await start((app) => {
        app.post('/cart', (req, res, next) => {
          if (!req.session.cart) req.session.cart = { items: [] as string[] }
          const cart = req.session.cart as { items: string[] }
          cart.items.push('apple')
          req.session.save((error) => (error ? next(error) : res.json(req.session.data.get('cart'))))
        })
        app.get('/cart', (req, res) => {
          res.json({
            cart: req.session.cart ?? null,
            keys: Object.keys(req.session),
            has: 'cart' in req.session,
          })
        })
        app.delete('/cart', (req, res) => {
          delete req.session.cart
          res.json({ cart: req.session.cart ?? null })
        })
      })
      const browser = new Browser()
      expect(await browser.json(`${app.url}/cart`, 'POST')).toEqual({ items: ['apple'] })
      expect(await browser.json(`${app.url}/cart`, 'POST')).toEqual({ items: ['apple', 'apple'] })
      const saves = control.calls.get('save')
      expect(await browser.json(`${app.url}/cart`)).toEqual({
        cart: { items: ['apple', 'apple'] },
        keys: ['cart'],
        has: true,
      })
      expect(control.calls.get('save')).toBe(saves)
      expect(await browser.json(`${app.url}/cart`, 'DELETE')).toEqual({ cart: null })
      expect(await browser.json(`${app.url}/cart`)).toEqual({ cart: null, keys: [], has: false })
    })

    it("answers 503 through Express's own error handler when the store is down", async () => {
      const app = await start((app) => {
        app.get('/', (req, res) => {
          req.session.data.set('seen', true)
          res.send('ok')
        })
      })
      control.failing = true
      try {
        const response = await fetch(`${app.url}/`)
        expect(response.status).toBe(503)
        expect(response.headers.getSetCookie()).toEqual([])
      } finally {
        control.failing = false
      }
    })

    it('serves req.session from the shared request prototype; apps and routes without the middleware see none', async () => {
      const app = await start((app) => {
        app.get('/', (req, res) => {
          const own = Object.hasOwn(req, 'session') || Object.hasOwn(req, 'avatar')
          let assignment = 'allowed'
          try {
            ;(req as unknown as Record<string, unknown>).session = null
          } catch (error) {
            assignment = (error as Error).name
          }
          req.session.data.set('visits', 1)
          res.json({ own, assignment, identity: req.avatar.identity })
        })
      })
      // Another app in the same process, without the middleware, that keeps its own session
      // object the way express-session does (a plain assignment on req).
      const other = framework()
      other.get('/', (req, res) => {
        const before = (req as unknown as Record<string, unknown>).session
        ;(req as unknown as Record<string, unknown>).session = { mine: true }
        res.json({ before: before ?? null, after: (req as unknown as Record<string, unknown>).session })
      })
      const otherServer = await listen(other.listen(0))
      running.push(otherServer)
      const response = await fetch(`${app.url}/`)
      expect(await response.json()).toEqual({ own: false, assignment: 'TypeError', identity: 'anonymous' })
      expect(response.headers.getSetCookie()).toHaveLength(1)
      const plain = await fetch(`${otherServer.url}/`)
      expect(await plain.json()).toEqual({ before: null, after: { mine: true } })
      expect(plain.headers.getSetCookie()).toEqual([])
    })

    it('supports express-session style regenerate, reload and destroy callbacks', async () => {
      const app = await start((app) => {
        app.post('/regenerate', (req, res, next) => {
          req.session.data.set('before', 1)
          req.session.regenerate((error) => {
            if (error) return next(error)
            req.session.data.set('after', 1)
            res.json(req.session.data.get('before') ?? null)
          })
        })
        app.post('/reload', (req, res, next) => {
          req.session.data.set('unsaved', 1)
          req.session.reload((error) =>
            error ? next(error) : res.json(req.session.data.get('unsaved') ?? null),
          )
        })
        app.post('/destroy', (req, res, next) => {
          req.session.destroy((error) => (error ? next(error) : res.json('gone')))
        })
        app.get('/', (req, res) => {
          res.json(req.session.data.get('after') ?? null)
        })
      })
      const browser = new Browser()
      expect(await browser.json(`${app.url}/regenerate`, 'POST')).toBeNull()
      expect(await browser.json(`${app.url}/`)).toBe(1)
      expect(await browser.json(`${app.url}/reload`, 'POST')).toBeNull()
      expect(await browser.json(`${app.url}/destroy`, 'POST')).toBe('gone')
      expect(await browser.json(`${app.url}/`)).toBeNull()
    })
  })
}

describe('sessionMiddleware', () => {
  it('accepts an existing manager and exposes it', async () => {
    const manager = createSessionManager({ secret: SECRET })
    expect(sessionMiddleware(manager).manager).toBe(manager)
    const fromOptions = sessionMiddleware({ secret: SECRET })
    expect(typeof fromOptions.manager.open).toBe('function')
    await manager.close()
    await fromOptions.manager.close()
  })
})
