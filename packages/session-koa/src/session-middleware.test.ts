import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import {
  describeBinding,
  listen,
  type RunningApp,
  SECRET,
} from '../../session-express/src/__fixtures__/binding-suite.js'
import { Browser } from '../../session-express/src/__fixtures__/browser.js'
import { koaVersions, startKoaApp } from './__fixtures__/koa-app.js'
import {
  type Avatar,
  createSessionManager,
  MemorySessionStore,
  type Session,
  type SessionControl,
  sessionMiddleware,
} from './index.js'

// How an app types its auth snapshot (README "Typing your AuthInfo").
declare module '@satchel/session-koa' {
  interface AuthInfo {
    displayName?: string
  }
}

for (const [name, framework] of koaVersions) {
  describeBinding(name, (manager) => startKoaApp(framework, manager))

  describe(`${name} middleware`, () => {
    const running: RunningApp[] = []
    afterEach(async () => {
      for (const app of running.splice(0)) await app.close()
    })

    it('types ctx.session, ctx.avatar and ctx.sessions without casts', async () => {
      const manager = createSessionManager({ secret: SECRET, store: new MemorySessionStore() })
      const app = await startKoaApp(framework, manager, {
        'GET /': (ctx) => {
          expectTypeOf(ctx.session).toEqualTypeOf<Session>()
          expectTypeOf(ctx.avatar).toEqualTypeOf<Avatar>()
          expectTypeOf(ctx.sessions).toEqualTypeOf<SessionControl>()
          ctx.body = { same: ctx.session.avatar === ctx.avatar, anonymous: ctx.avatar.isAnonymous }
        },
      })
      running.push(app)
      expect(await (await fetch(`${app.url}/`)).json()).toEqual({ same: true, anonymous: true })
      await manager.close()
    })

    it("types the app's AuthInfo fields on ctx.session.auth through one augmentation", async () => {
      const manager = createSessionManager({ secret: SECRET, store: new MemorySessionStore() })
      const app = await startKoaApp(framework, manager, {
        'POST /ada': async (ctx) => {
          await ctx.sessions.login({ identity: 'ada', displayName: 'Ada Lovelace' })
          const displayName = ctx.session.auth?.displayName
          expectTypeOf(displayName).toEqualTypeOf<string | undefined>()
          ctx.body = { displayName }
        },
      })
      running.push(app)
      expect(await (await fetch(`${app.url}/ada`, { method: 'POST' })).json()).toEqual({
        displayName: 'Ada Lovelace',
      })
      await manager.close()
    })

    it('lets the first of two mounts own the request (one commit, one cookie)', async () => {
      const manager = createSessionManager({ secret: SECRET, store: new MemorySessionStore() })
      const app = new framework()
      app.use(sessionMiddleware(manager))
      app.use(sessionMiddleware(manager))
      app.use((ctx) => {
        ctx.session.data.set('twice', true)
        ctx.body = 'ok'
      })
      const server = await listen(app.listen(0))
      running.push(server)
      const response = await fetch(`${server.url}/`)
      expect(await response.text()).toBe('ok')
      expect(response.headers.getSetCookie()).toHaveLength(1)
      await manager.close()
    })

    it('commits and sends the cookie even when downstream throws an HTTP error', async () => {
      const manager = createSessionManager({ secret: SECRET, store: new MemorySessionStore() })
      const app = await startKoaApp(framework, manager, {
        'POST /fail': (ctx) => {
          ctx.session.data.set('tried', true)
          ctx.throw(422, 'nope')
        },
        'GET /tried': (ctx) => {
          ctx.body = { tried: ctx.session.data.get('tried') ?? null }
        },
      })
      running.push(app)
      const browser = new Browser()
      const response = await browser.fetch(`${app.url}/fail`, { method: 'POST' })
      expect(response.status).toBe(422)
      expect(response.headers.getSetCookie()).toHaveLength(1)
      expect(await browser.json(`${app.url}/tried`)).toEqual({ tried: true })
      await manager.close()
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
