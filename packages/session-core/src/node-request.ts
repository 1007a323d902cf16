import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { SessionRequest } from './session-manager.js'

/**
 * What the session manager's `open()` needs from a Node request: the `Cookie` header, whether
 * the connection itself is TLS, `X-Forwarded-Proto` (used only with `trustProxy`) and
 * `User-Agent`. Works on any `IncomingMessage`: `node:http`, `node:https`, Express's `req`,
 * Koa's `ctx.req`.
 *
 * @param req - the incoming request
 * @returns the input for `manager.open()`
 * @example
 * ```ts
 * const handle = await manager.open(requestInput(req))
 * ```
 */
export function requestInput(req: IncomingMessage): SessionRequest {
  const { headers } = req
  const proto = headers['x-forwarded-proto']
  return {
    cookie: headers.cookie || undefined,
    encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
    forwardedProto: (typeof proto === 'string' ? proto : proto?.[0]) || undefined,
    userAgent: headers['user-agent'] || undefined,
  }
}
