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

const HANDLE = Symbol('satchel.handle')
type Holder = { [HANDLE]: RequestSession }
// Shared accessors (no per-request closures) that follow login and regenerate.
const accessor = (read: (handle: RequestSession) => unknown): PropertyDescriptor => ({
  configurable: true,
  enumerable: true,
  get(this: Holder) {
    return read(this[HANDLE])
  },
})
const accessors = {
  session: accessor(expressSession),
  avatar: accessor((handle) => handle.avatar),
  sessions: accessor((handle) => handle.sessions),
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
 * app.use(sessionMiddleware({ secret: process.env.SESSION_SECRET! }))
 * app.get('/', (req, res) => res.send(`hello ${req.avatar.identity}`))
 * ```
 */
export function sessionMiddleware(options: SessionOptions | SessionManager): SessionRequestHandler {
  const manager = 'open' in options ? options : createSessionManager(options)
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    // Mounted twice on one path: the first mount owns the request.
    if (HANDLE in req) {
      next()
      return
    }
    const proto = req.headers['x-forwarded-proto']
    const request = {
      cookie: req.headers.cookie,
      encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
      forwardedProto: typeof proto === 'string' ? proto : proto?.[0],
      userAgent: req.headers['user-agent'],
    }
    manager.open(request).then((handle) => {
      ;(req as unknown as Holder)[HANDLE] = handle
      Object.defineProperties(req, accessors)
      const commit = async () => {
        settleLent(handle.session)
        const cookies = await handle.commit()
        if (cookies.length > 0) res.append('Set-Cookie', cookies)
      }
      holdHead(res, commit, next)
      next()
    }, next)
  }
  return Object.assign(handler, { manager })
}
