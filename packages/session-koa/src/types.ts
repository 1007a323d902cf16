import type { Avatar, Session, SessionControl, SessionManager } from '@satchel/session-core'
import type { Middleware } from 'koa'

/** The middleware returned by `sessionMiddleware()`, with the manager it drives. */
export type SessionKoaMiddleware = Middleware & {
  /** The session manager: `subscribe()` to its events, reach its `store`, `close()` it. */
  readonly manager: SessionManager
}

/** What the middleware adds to every Koa context. */
export interface SessionContext {
  /** The request's session; follows `ctx.sessions.login()`. */
  readonly session: Session
  /** The session's avatar (`ctx.session.avatar`): identity, tags and avatar data. */
  readonly avatar: Avatar
  /** Login, logout, logout everywhere, and the list of the identity's sessions. */
  readonly sessions: SessionControl
}

declare module 'koa' {
  interface ExtendableContext extends SessionContext {}
  interface DefaultContext extends SessionContext {}
}
