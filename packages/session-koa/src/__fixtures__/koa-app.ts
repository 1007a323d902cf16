import { createRequire } from 'node:module'
import type { SessionManager } from '@satchel/session-core'
import type Koa from 'koa'
import type { Context } from 'koa'
import {
  listen,
  type RunningApp,
  routes,
  view,
} from '../../../session-express/src/__fixtures__/binding-suite.js'
import { sessionMiddleware } from '../index.js'

const require = createRequire(import.meta.url)

/** Koa 2 and Koa 3, from the aliased dev dependencies. */
export const koaVersions: [string, typeof Koa][] = [
  ['Koa 2', require('koa2')],
  ['Koa 3', require('koa3')],
]

type Route = (ctx: Context) => Promise<void> | void

/** The binding suite's routes (see `StartApp`) for Koa, which has no router built in. */
const suiteRoutes: Record<string, Route> = {
  'GET /read': (ctx) => {
    ctx.body = view(ctx.session)
  },
  'POST /write': (ctx) => {
    routes.write(ctx.session)
    ctx.body = view(ctx.session)
  },
  'POST /put': (ctx) => {
    routes.put(ctx.session, ctx.query.key?.toString())
    ctx.body = view(ctx.session)
  },
  'POST /login': async (ctx) => {
    await routes.login(ctx.sessions, ctx.query.identity?.toString())
    ctx.body = view(ctx.session)
  },
  'POST /login-redirect': async (ctx) => {
    await routes.login(ctx.sessions, undefined)
    ctx.status = 303
    ctx.redirect('/read')
  },
  'POST /logout': async (ctx) => {
    await ctx.sessions.logout()
    ctx.body = view(ctx.session)
  },
  'POST /logout-everywhere': async (ctx) => {
    ctx.body = await routes.logoutEverywhere(ctx.sessions)
  },
  'GET /list': async (ctx) => {
    ctx.body = await routes.list(ctx.sessions)
  },
}

/** Starts a Koa app with the session middleware for `manager` and the given routes. */
export function startKoaApp(
  framework: typeof Koa,
  manager: SessionManager,
  extraRoutes: Record<string, Route> = {},
): Promise<RunningApp> {
  const app = new framework()
  app.silent = true
  app.use(sessionMiddleware(manager))
  const table = { ...suiteRoutes, ...extraRoutes }
  app.use(async (ctx) => {
    const route = table[`${ctx.method} ${ctx.path}`]
    if (route) await route(ctx)
  })
  return listen(app.listen(0))
}
