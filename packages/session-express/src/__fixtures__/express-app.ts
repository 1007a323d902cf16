import { createRequire } from 'node:module'
import type { SessionManager } from '@satchel/session-core'
import type express from 'express'
import type { ErrorRequestHandler } from 'express'
import { sessionMiddleware } from '../index.js'
import { listen, type RunningApp, routes, view } from './binding-suite.js'

const require = createRequire(import.meta.url)

/** Express 4 and Express 5, from the aliased dev dependencies. */
export const expressVersions: [string, typeof express][] = [
  ['Express 4', require('express4')],
  ['Express 5', require('express5')],
]

/** Starts the binding suite's app (see `StartApp`) on the given Express. */
export function startExpressApp(framework: typeof express, manager: SessionManager): Promise<RunningApp> {
  const app = framework()
  app.use(sessionMiddleware(manager))
  app.get('/read', (req, res) => {
    res.json(view(req.session))
  })
  app.post('/write', (req, res) => {
    routes.write(req.session)
    res.json(view(req.session))
  })
  app.post('/put', (req, res) => {
    routes.put(req.session, req.query.key?.toString())
    res.json(view(req.session))
  })
  app.post('/login', async (req, res, next) => {
    try {
      await routes.login(req.sessions, req.query.identity?.toString())
      res.json(view(req.session))
    } catch (error) {
      next(error)
    }
  })
  app.post('/login-redirect', (req, res, next) => {
    routes.login(req.sessions, undefined).then(() => res.redirect(303, '/read'), next)
  })
  app.post('/logout', (req, res, next) => {
    req.sessions.logout().then(() => res.json(view(req.session)), next)
  })
  app.post('/logout-everywhere', (req, res, next) => {
    routes.logoutEverywhere(req.sessions).then((body) => res.json(body), next)
  })
  app.get('/list', (req, res, next) => {
    routes.list(req.sessions).then((body) => res.json(body), next)
  })
  const onError: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: String(error) })
  }
  app.use(onError)
  return listen(app.listen(0))
}
