import type { SessionStore } from './session-store.js'

/** How the session cookie is written. Every field has a safe default. */
export interface SessionCookieOptions {
  /**
   * Cookie name. A `__Host-` prefix forces `Secure`, `Path=/` and no `Domain` (checked at start-up);
   * a `__Secure-` prefix forces `Secure`.
   * @default 'sid'
   */
  name?: string
  /** @default '/' */
  path?: string
  /** @default undefined (host-only cookie) */
  domain?: string
  /** @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none'
  /**
   * `true` always sets `Secure`; `'auto'` sets it when the request is secure (TLS, or
   * `X-Forwarded-Proto: https` with `trustProxy`).
   * @default 'auto'
   */
  secure?: boolean | 'auto'
  /** @default true */
  httpOnly?: boolean
  /** CHIPS `Partitioned` attribute. @default false */
  partitioned?: boolean
  /** @default undefined */
  priority?: 'low' | 'medium' | 'high'
  /**
   * `'absolute'`: `Max-Age` is the time left until the absolute expiry, written once (a
   * browser-session cookie when `absoluteTtl` is null); `'session'`: no `Max-Age`; a number: that
   * many seconds.
   * @default 'absolute'
   */
  maxAge?: 'absolute' | 'session' | number
}

/** Options of {@link createSessionManager}. */
export interface SessionOptions {
  /** Signing secrets, each at least 32 bytes; the first signs, all verify (key rotation). */
  secret: string | readonly string[]
  /** Where sessions live. @default new MemorySessionStore() */
  store?: SessionStore
  /** The session cookie. */
  cookie?: SessionCookieOptions
  /** Idle timeout in seconds. @default 3600 */
  ttl?: number
  /** Absolute lifetime in seconds since creation (or login); `null` for none. @default 86400 */
  absoluteTtl?: number | null
  /** Persist `lastAccess` of an unchanged session at most once per this many seconds. @default ttl / 10 */
  touchAfter?: number
  /** Trust `X-Forwarded-Proto` to decide whether the request is secure. @default false */
  trustProxy?: boolean
  /**
   * `'fail'`: a store failure is thrown as `SessionError('STORE_UNAVAILABLE')` (status 503).
   * `'anonymous'`: the request continues with an unsaved anonymous session and a `storeError` event.
   * @default 'fail'
   */
  onStoreError?: 'fail' | 'anonymous'
  /** Largest encoded session accepted at commit, in bytes. @default 65536 */
  maxSessionBytes?: number
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  now?: () => number
}

/** Resolved cookie settings (internal). */
export interface ResolvedCookie {
  name: string
  path: string
  domain: string | undefined
  sameSite: 'lax' | 'strict' | 'none'
  secure: boolean | 'auto'
  httpOnly: boolean
  partitioned: boolean
  priority: 'low' | 'medium' | 'high' | undefined
  maxAge: 'absolute' | 'session' | number
}

/** Resolved manager options (internal). */
export interface ResolvedOptions {
  secrets: readonly string[]
  cookie: ResolvedCookie
  ttl: number
  absoluteTtl: number | null
  touchAfterMs: number
  trustProxy: boolean
  onStoreError: 'fail' | 'anonymous'
  maxSessionBytes: number
  now: () => number
}

function invalid(message: string): never {
  throw new OptionsError(message)
}

/** Thrown by {@link resolveOptions}; turned into a SessionError by the caller. */
export class OptionsError extends Error {}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalid(`${name} must be a positive number of seconds`)
  }
  return value
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Applies defaults and checks consistency; throws {@link OptionsError} on a bad value. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  const ttl = positive(options.ttl, 'ttl', 3600)
  const absoluteTtl =
    options.absoluteTtl === null ? null : positive(options.absoluteTtl, 'absoluteTtl', 86400)
  const touchAfter = options.touchAfter === 0 ? 0 : positive(options.touchAfter, 'touchAfter', ttl / 10)
  if (touchAfter >= ttl) invalid('touchAfter must be shorter than ttl')
  const maxSessionBytes = positive(options.maxSessionBytes, 'maxSessionBytes', 65536)
  const onStoreError = options.onStoreError ?? 'fail'
  if (onStoreError !== 'fail' && onStoreError !== 'anonymous')
    invalid("onStoreError must be 'fail' or 'anonymous'")
  const c = options.cookie ?? {}
  const name = c.name ?? 'sid'
  if (!COOKIE_NAME.test(name)) invalid(`cookie.name ${JSON.stringify(name)} is not a valid cookie name`)
  const isHost = name.startsWith('__Host-')
  const isSecurePrefix = isHost || name.startsWith('__Secure-')
  const path = c.path ?? '/'
  if (isHost && (path !== '/' || c.domain !== undefined)) {
    invalid('a __Host- cookie must have path "/" and no domain')
  }
  if (isSecurePrefix && c.secure === false)
    invalid(`a ${isHost ? '__Host-' : '__Secure-'} cookie must be Secure`)
  const sameSite = c.sameSite ?? 'lax'
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none')
    invalid('cookie.sameSite is invalid')
  // SameSite=None is only honoured on Secure cookies; a prefixed name is Secure too.
  const secure =
    isSecurePrefix || (sameSite === 'none' && c.secure === undefined) ? true : (c.secure ?? 'auto')
  const maxAge = c.maxAge ?? 'absolute'
  if (typeof maxAge === 'number') positive(maxAge, 'cookie.maxAge', 0)
  else if (maxAge !== 'absolute' && maxAge !== 'session')
    invalid("cookie.maxAge must be 'absolute', 'session' or seconds")
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]
  return {
    secrets,
    cookie: {
      name,
      path,
      domain: c.domain,
      sameSite,
      secure,
      httpOnly: c.httpOnly ?? true,
      partitioned: c.partitioned ?? false,
      priority: c.priority,
      maxAge,
    },
    ttl,
    absoluteTtl,
    touchAfterMs: touchAfter * 1000,
    trustProxy: options.trustProxy ?? false,
    onStoreError,
    maxSessionBytes,
    now: options.now ?? Date.now,
  }
}
