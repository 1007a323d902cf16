import type { TLSSocket } from 'node:tls'
import {
  createSessionManager,
  type RequestSession,
  type SessionManager,
  type SessionOptions,
} from '@satchel/session-core'
import type { NextFunction, Request, Response } from 'express'
import { expressSession, settleLent } from './express-session-compat.js'
import { holdHead } from './hold-head.js'
import type { SessionRequestHandler } from './types.js'

function isManager(value: SessionOptions | SessionManager): value is SessionManager {
  return typeof (value as Partial<SessionManager>).open === 'function'
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function attach(req: Request, handle: RequestSession): void {
  Object.defineProperties(req, {
    session: { configurable: true, enumerable: true, get: () => expressSession(handle) },
    avatar: { configurable: true, enumerable: true, get: () => handle.avatar },
    sessions: { configurable: true, enumerable: true, get: () => handle.sessions },
  })
}

function appendSetCookie(res: Response, cookies: string[]): void {
  if (cookies.length === 0) return
  const previous = res.getHeader('set-cookie')
  const kept = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
  res.setHeader('set-cookie', [...kept, ...cookies])
}

/**
 * Express 4 and 5 middleware: gives every request `req.session`, `req.avatar` and
 * `req.sessions`, and commits the session before the response head is written (the response
 * waits for the store). Store errors reach `next(err)` as a `SessionError` whose `status` is the
 * HTTP status (503 when the store is unavailable).
 *
 * @param options - the session manager's options, or a manager made with `createSessionManager()`
 * @example
 * ```ts
 * app.use(sessionMiddleware({ secret: process.env.SESSION_SECRET }))
 * app.get('/', (req, res) => res.send(`hello ${req.avatar.identity}`))
 * ```
 */
export function sessionMiddleware(options: SessionOptions | SessionManager): SessionRequestHandler {
  const manager = isManager(options) ? options : createSessionManager(options)
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const request = {
      cookie: req.headers.cookie,
      encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
      forwardedProto: firstHeader(req.headers['x-forwarded-proto']),
      userAgent: req.headers['user-agent'],
    }
    manager.open(request).then((handle) => {
      attach(req, handle)
      const commit = async () => {
        settleLent(handle.session)
        appendSetCookie(res, await handle.commit())
      }
      holdHead(res, commit, next)
      next()
    }, next)
  }
  return Object.assign(handler, { manager })
}
