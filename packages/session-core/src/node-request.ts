import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { SessionRequest } from './session-manager.js'

/**
 * A Node request as the manager's input. The `Cookie` header is read at once; the rest only
 * when asked, which for most requests (a read that writes no cookie) is never: on Express every
 * request has a hidden class of its own, so each property read from it (`req.socket`) is a
 * missed lookup in V8's caches.
 */
class NodeRequestInput implements SessionRequest {
  readonly cookie: string | undefined
  readonly #req: IncomingMessage

  constructor(req: IncomingMessage, cookie: string | undefined) {
    this.#req = req
    this.cookie = cookie
  }

  get encrypted(): boolean {
    return (this.#req.socket as Partial<TLSSocket> | null)?.encrypted === true
  }

  get forwardedProto(): string | undefined {
    const proto = this.#req.headers['x-forwarded-proto']
    return (typeof proto === 'string' ? proto : proto?.[0]) || undefined
  }

  get userAgent(): string | undefined {
    return this.#req.headers['user-agent'] || undefined
  }
}

/**
 * What the session manager's `open()` needs from a Node request: the `Cookie` header, whether
 * the connection itself is TLS, `X-Forwarded-Proto` (used only with `trustProxy`) and
 * `User-Agent`. Works on any `IncomingMessage`: `node:http`, `node:https`, Express's `req`,
 * Koa's `ctx.req`. Only the `Cookie` header is read at once; the other fields are getters that
 * read the request when asked (the manager asks for them only when it writes a cookie).
 *
 * @param req - the incoming request
 * @returns the input for `manager.open()`
 * @example
 * ```ts
 * const handle = await manager.open(requestInput(req))
 * ```
 */
export function requestInput(req: IncomingMessage): SessionRequest {
  return new NodeRequestInput(req, req.headers.cookie || undefined)
}
