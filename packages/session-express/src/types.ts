import type { Avatar, Session, SessionControl, SessionManager } from '@satchel/session-core'
import type { RequestHandler } from 'express'

/**
 * express-session's callback methods on `req.session`, so code written for express-session
 * (passport 0.7 among it) runs unchanged. Each callback receives an error or nothing.
 */
export interface ExpressSessionMethods {
  /** Replaces the session with a new, empty one under a new id. */
  regenerate(callback?: (error?: unknown) => void): void
  /** Persists the session now; the commit at the end of the request still runs. */
  save(callback?: (error?: unknown) => void): void
  /** Re-reads the session from the store, dropping unsaved changes. */
  reload(callback?: (error?: unknown) => void): void
  /** Destroys the session (a logout): deleted from the store, cookie cleared. */
  destroy(callback?: (error?: unknown) => void): void
}

/**
 * `req.session`: the satchel {@link Session}, express-session's callback methods, and any other
 * property mapped to a top-level entry of `session.data` (`req.session.passport` is
 * `session.data.get('passport')`; plain objects mutated in place are saved too).
 */
export type ExpressSession = Session & ExpressSessionMethods & { [key: string]: unknown }

/** The middleware returned by `sessionMiddleware()`, with the manager it drives. */
export type SessionRequestHandler = RequestHandler & {
  /** The session manager: `subscribe()` to its events, reach its `store`, `close()` it. */
  readonly manager: SessionManager
}

declare global {
  namespace Express {
    interface Request {
      /** The request's session; follows `req.sessions.login()` and `regenerate()`. */
      session: ExpressSession
      /** The session's avatar (`req.session.avatar`): identity, tags and avatar data. */
      avatar: Avatar
      /** Login, logout, logout everywhere, and the list of the identity's sessions. */
      sessions: SessionControl
    }
  }
}
