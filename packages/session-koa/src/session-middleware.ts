import type { TLSSocket } from 'node:tls'
import { createSessionManager, type SessionManager, type SessionOptions } from '@satchel/session-core'
import type { Context, Next } from 'koa'
import type { SessionKoaMiddleware } from './types.js'

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
    const handle = await manager.open({
      cookie: ctx.get('cookie') || undefined,
      encrypted: (ctx.req.socket as Partial<TLSSocket>).encrypted === true,
      forwardedProto: ctx.get('x-forwarded-proto') || undefined,
      userAgent: ctx.get('user-agent') || undefined,
    })
    Object.defineProperties(ctx, {
      session: { configurable: true, enumerable: true, get: () => handle.session },
      avatar: { configurable: true, enumerable: true, get: () => handle.avatar },
      sessions: { configurable: true, enumerable: true, get: () => handle.sessions },
    })
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
