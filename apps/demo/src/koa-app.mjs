// The Koa app: session middleware, then every request goes to the shared handlers.
import { sessionMiddleware } from '@satchel/session-koa'
import Koa from 'koa'
import { neutralRequest } from './neutral-request.mjs'
import { handle } from './routes/index.mjs'
import { errorPage } from './views/error.mjs'

/** A Koa app serving the demo pages with satchel sessions made by `createSessionManager()`
 * (or on the options to make one). */
export function createKoaApp(site, manager) {
  const app = new Koa()
  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      if (!(error?.status < 500)) console.error('koa:', error)
      const page = errorPage(error)
      ctx.status = page.status
      ctx.type = 'html'
      ctx.body = page.html
    }
  })
  app.use(sessionMiddleware(manager))
  app.use(async (ctx) => {
    const reply = await handle(neutralRequest(ctx, ctx.req, ctx.originalUrl, site))
    ctx.set('Cache-Control', 'no-store')
    if (reply.redirect) {
      ctx.status = 303
      ctx.redirect(reply.redirect)
    } else {
      ctx.status = reply.status
      ctx.type = 'html'
      ctx.body = reply.html
    }
  })
  return app
}
