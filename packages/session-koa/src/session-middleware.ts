import type { TLSSocket } from 'node:tls'
import {
  createSessionManager,
  type RequestSession,
  type SessionManager,
  type SessionOptions,
} from '@satchel/session-core'
import type { Context, Next } from 'koa'
import type { SessionKoaMiddleware } from './types.js'

const HANDLE = Symbol('satchel.handle')
type Holder = { [HANDLE]: RequestSession }
// Shared accessors (no per-request closures) that follow login.
const accessor = (read: (handle: RequestSession) => unknown): PropertyDescriptor => ({
  configurable: true,
  enumerable: true,
  get(this: Holder) {
    return read(this[HANDLE])
  },
})
const accessors = {
  session: accessor((handle) => handle.session),
  avatar: accessor((handle) => handle.avatar),
  sessions: accessor((handle) => handle.sessions),
}

/**
 * Koa 2 and 3 middleware: gives every context `ctx.session`, `ctx.avatar` and `ctx.sessions`,
 * and commits the session after `await next()`, before Koa sends the response. Store errors are
 * thrown as a `SessionError`, whose `status` Koa answers with (503 when the store is unavailable).
 * When downstream throws, the session is still committed and its cookie rides on the error's
 * `headers`, which Koa's error response keeps.
 *
 * @param options - the session manager's options, or a manager made with `createSessionManager()`
 * @example
 * ```ts
 * app.use(sessionMiddleware({ secret: process.env.SESSION_SECRET! }))
 * app.use((ctx) => { ctx.body = `hello ${ctx.avatar.identity}` })
 * ```
 */
export function sessionMiddleware(options: SessionOptions | SessionManager): SessionKoaMiddleware {
  const manager = 'open' in options ? options : createSessionManager(options)
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    // Mounted twice on one path: the first mount owns the request.
    if (HANDLE in ctx) return next()
    const handle = await manager.open({
      cookie: ctx.get('cookie') || undefined,
      encrypted: (ctx.req.socket as Partial<TLSSocket>).encrypted === true,
      forwardedProto: ctx.get('x-forwarded-proto') || undefined,
      userAgent: ctx.get('user-agent') || undefined,
    })
    ;(ctx as unknown as Holder)[HANDLE] = handle
    Object.defineProperties(ctx, accessors)
    try {
      await next()
    } catch (error) {
      const cookies = await handle.commit().catch(() => [])
      if (cookies.length > 0 && typeof error === 'object' && error !== null) {
        const { headers } = error as { headers?: Record<string, unknown> }
        Object.assign(error, { headers: { ...headers, 'set-cookie': cookies } })
      }
      throw error
    }
    const cookies = await handle.commit()
    if (cookies.length > 0) ctx.append('Set-Cookie', cookies)
  }
  return Object.assign(middleware, { manager })
}
