import { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { SessionRequest } from './session-manager.js'

/**
 * The key under which a Node request keeps its `headers` object once something read it (Node
 * builds it on first read of `req.headers`, from `req.rawHeaders`), found once on a request of
 * this Node; undefined when this Node keeps it otherwise, and then every request reads
 * `req.headers`.
 */
const parsedHeaders: symbol | undefined = (() => {
  const probe = new IncomingMessage(null as never)
  const key = Object.getOwnPropertySymbols(probe).find((symbol) => symbol.description === 'kHeaders')
  if (key === undefined || (probe as unknown as Record<symbol, unknown>)[key] !== null) return undefined
  probe.rawHeaders = ['Cookie', 'probe=1']
  void probe.headers
  const built = (probe as unknown as Record<symbol, unknown>)[key]
  return typeof built === 'object' && built !== null ? key : undefined
})()

/**
 * The `Cookie` header of `req` as `req.headers.cookie` has it (several Cookie lines joined with
 * `; `). While nothing has read `req.headers` yet, it is taken from `req.rawHeaders` instead:
 * reading `req.headers` makes Node build an object of every header (a property per header name,
 * ~1 µs on a server), which an app that reads no other header never needs. Once `req.headers`
 * exists (read or replaced by a middleware), it is the source, changes included.
 */
function cookieHeader(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders
  if (
    parsedHeaders === undefined ||
    (req as unknown as Record<symbol, unknown>)[parsedHeaders] !== null ||
    !Array.isArray(raw)
  ) {
    return req.headers.cookie || undefined
  }
  let cookie: string | undefined
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!
    if (name.length === 6 && name.toLowerCase() === 'cookie') {
      const value = raw[index + 1]!
      cookie = cookie === undefined ? value : `${cookie}; ${value}`
    }
  }
  return cookie || undefined
}

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
  return new NodeRequestInput(req, cookieHeader(req))
}
