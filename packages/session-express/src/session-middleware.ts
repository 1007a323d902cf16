import {
  attachSession,
  commitBeforeHead,
  handleOf,
  type RequestSession,
  requestInput,
  type SessionManager,
  type SessionOptions,
  sessionAccessors,
  sessionManagerFrom,
  sessionOpener,
} from '@satchel/session-core'
import type { NextFunction, Request, Response } from 'express'
import { expressSession, settleLent } from './express-session-compat.js'
import type { SessionRequestHandler } from './types.js'

// Shared by every request: `req.session` is the express-session-compatible view.
const accessors = sessionAccessors(expressSession)

// `settle()`, not `commit()`: a read with nothing to store sends its response in the same tick.
function commitOf(handle: RequestSession): () => string[] | Promise<string[]> {
  return () => {
    settleLent(handle.session)
    return handle.settle()
  }
}

function begin(req: Request, res: Response, next: NextFunction, handle: RequestSession): void {
  attachSession(req, handle, accessors)
  commitBeforeHead(res, commitOf(handle), next)
  next()
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
  const manager = sessionManagerFrom(options)
  const open = sessionOpener(manager)
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    // Mounted twice on one path: the first mount owns the request.
    if (handleOf(req)) {
      next()
      return
    }
    let opened: RequestSession | Promise<RequestSession>
    try {
      opened = open(requestInput(req))
    } catch (error) {
      next(error)
      return
    }
    // The memory store answers at once: the request goes on in this tick.
    if (opened instanceof Promise) opened.then((handle) => begin(req, res, next, handle), next)
    else begin(req, res, next, opened)
  }
  return Object.assign(handler, { manager })
}
