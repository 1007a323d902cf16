// The Express app: session middleware, then every request goes to the shared handlers.
import { sessionMiddleware } from '@satchel/session-express'
import express from 'express'
import { neutralRequest } from './neutral-request.mjs'
import { handle } from './routes/index.mjs'
import { errorPage } from './views/error.mjs'

/** An Express app serving the demo pages with satchel sessions made by `createSessionManager()`
 * (or on the options to make one). */
export function createExpressApp(site, manager) {
  const app = express()
  app.disable('x-powered-by')
  app.use(sessionMiddleware(manager))
  app.use(async (req, res) => {
    const reply = await handle(neutralRequest(req, req, req.originalUrl, site))
    res.set('Cache-Control', 'no-store')
    if (reply.redirect) res.redirect(303, reply.redirect)
    else res.status(reply.status).type('html').send(reply.html)
  })
  app.use((error, _req, res, _next) => {
    if (!(error?.status < 500)) console.error('express:', error)
    const page = errorPage(error)
    res.status(page.status).type('html').send(page.html)
  })
  return app
}
