import {
  attachSession,
  handleOf,
  requestInput,
  type SessionManager,
  type SessionOptions,
  sessionManagerFrom,
  sessionOpener,
} from '@satchel/session-core'
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
  const manager = sessionManagerFrom(options)
  const open = sessionOpener(manager)
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    // Mounted twice on one path: the first mount owns the request.
    if (handleOf(ctx)) return next()
    // The memory store answers at once: no promise to wait for.
    const opened = open(requestInput(ctx.req))
    const handle = opened instanceof Promise ? await opened : opened
    attachSession(ctx, handle)
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
    // `settle()` answers a read with nothing to store at once: no promise to wait for.
    const settled = handle.settle()
    const cookies = Array.isArray(settled) ? settled : await settled
    if (cookies.length > 0) ctx.append('Set-Cookie', cookies)
  }
  return Object.assign(middleware, { manager })
}
