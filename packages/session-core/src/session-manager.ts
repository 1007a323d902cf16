import type { AuthInfo } from './auth-snapshot.js'
import { Degraded } from './degraded.js'
import { type ImmediateStore, immediateOf } from './immediate-store.js'
import { KeyRing } from './key-ring.js'
import { MemorySessionStore } from './memory-store.js'
import { OptionsError, type ResolvedOptions, resolveOptions, type SessionOptions } from './options.js'
import { sessionRecordSize } from './record.js'
import { hasContent, Session } from './session.js'
import { cookieIsSecure, readCookie, serializeClearingCookie, serializeCookie } from './session-cookie.js'
import { SessionError } from './session-error.js'
import type { DestroyReason, SessionEvent } from './session-events.js'
import { SessionHandle } from './session-handle.js'
import { digestId, mintSessionId } from './session-id.js'
import type { SessionInfo, SessionStore } from './session-store.js'
import { Subscribable } from './subscribable.js'

/** What a binding tells the manager about a request. */
export interface SessionRequest {
  /** The `Cookie` header. */
  cookie: string | undefined
  /** Whether the connection itself is TLS. */
  encrypted: boolean
  /** The `X-Forwarded-Proto` header; used only with `trustProxy`. */
  forwardedProto?: string | undefined
  /** The `User-Agent` header (reserved; not stored). */
  userAgent?: string | undefined
}

/** Session controls available to a request (`req.sessions` / `ctx.sessions`). */
export interface SessionControl {
  /**
   * Replaces the session by a new one with a new id carrying `auth` (fixation defence); the old id
   * is invalid at once. Data is dropped unless `keepData`; the avatar is rebuilt from `auth`.
   */
  login(auth: AuthInfo, options?: { keepData?: boolean }): Promise<Session>
  /** Destroys the session and clears the cookie. */
  logout(): Promise<void>
  /** Destroys every session of the avatar's identity (but the current one with `keepCurrent`); returns how many. */
  logoutEverywhere(options?: { keepCurrent?: boolean }): Promise<number>
  /** The sessions of the avatar's identity (digests and meta, never tokens), marking the current one. */
  list(): Promise<(SessionInfo & { current: boolean })[]>
}

/** One request's view of its session. */
export interface RequestSession {
  /** The request's session; follows login and regenerate. */
  readonly session: Session
  /** `session.avatar`. */
  readonly avatar: Session['avatar']
  /** Login, logout, logout everywhere, list. */
  readonly sessions: SessionControl
  /** A new empty session with a new id; the old one is deleted (express-session semantics). */
  regenerate(): Promise<void>
  /** Re-reads the session from the store, dropping unsaved changes. */
  reload(): Promise<void>
  /** Persists the session now (the commit still runs at the end). */
  save(): Promise<void>
  /** Same as `sessions.logout()`. */
  destroy(): Promise<void>
  /** Writes what the request changed and returns the `Set-Cookie` values. Idempotent. @throws SessionError */
  commit(): Promise<string[]>
  /**
   * The same commit (the two share one result), but when nothing has to be stored (the common
   * read) or the store answers at once (the memory store) it returns the `Set-Cookie` values
   * instead of a promise, so a binding can answer without waiting a tick; a commit that fails
   * there is thrown (and `commit()` rejects with it). Otherwise it returns `commit()`'s promise.
   */
  settle(): string[] | Promise<string[]>
}

/** The framework-free session manager the bindings drive. */
export interface SessionManager {
  /** One call per request; never throws for bad cookies. @throws SessionError when the store fails and `onStoreError` is `'fail'`. */
  open(request: SessionRequest): Promise<RequestSession>
  /** Listens to {@link SessionEvent}s; returns the unsubscribe function. */
  subscribe(listener: (event: SessionEvent) => void): () => void
  /** The store in use. */
  readonly store: SessionStore
  /** Stops forwarding store events and closes the store if the manager created it. */
  close(): Promise<void>
}

const KEEP_ALWAYS = new Set(['NOT_SERIALIZABLE', 'SESSION_TOO_LARGE', 'INVALID_AUTH', 'INVALID_OPTIONS'])

function isHttps(forwardedProto: string | undefined): boolean {
  if (!forwardedProto) return false
  const comma = forwardedProto.indexOf(',')
  return (comma === -1 ? forwardedProto : forwardedProto.slice(0, comma)).trim().toLowerCase() === 'https'
}

/** @internal The manager's shared state and helpers used by request handles. */
export class ManagerCore {
  readonly options: ResolvedOptions
  readonly store: SessionStore
  readonly keys: KeyRing
  readonly events = new Subscribable<SessionEvent>()
  readonly #ownsStore: boolean
  readonly #unsubscribeStore: (() => void) | undefined

  constructor(options: SessionOptions) {
    try {
      this.options = resolveOptions(options)
    } catch (error) {
      if (error instanceof OptionsError) throw new SessionError('INVALID_OPTIONS', error.message)
      throw error
    }
    this.keys = new KeyRing(this.options.secrets)
    this.#ownsStore = options.store === undefined
    this.store =
      options.store ?? new MemorySessionStore({ defaultTtl: this.options.ttl, now: this.options.now })
    this.#unsubscribeStore = this.store.subscribe?.((event) => {
      if (this.events.hasListeners) this.events.emit(event)
    })
  }

  emit(event: SessionEvent): void {
    this.events.emit(event)
  }

  async close(): Promise<void> {
    this.#unsubscribeStore?.()
    if (this.#ownsStore) await this.store.close()
  }

  /**
   * Opens a request's session: the handle itself when the store answers at once (the memory
   * store, see {@link ImmediateStore}) or there is nothing to look up, else a promise of it.
   */
  open(request: SessionRequest): SessionHandle | Promise<SessionHandle> {
    // The handle asks whether the request is secure only when it writes a cookie (most reads
    // write none): on Express, reading `req.socket` is a missed property lookup per request.
    const raw = readCookie(request.cookie, this.options.cookie.name)
    if (raw === undefined) return new SessionHandle(this, undefined, request, false, false)
    const verified = this.keys.verify(raw)
    if (!verified.ok) {
      if (this.events.hasListeners) this.emit({ type: 'cookieRejected', reason: verified.reason })
      return new SessionHandle(this, undefined, request, true, false)
    }
    const immediate = immediateOf(this.store)
    if (immediate === undefined) return this.#openFromStore(verified.id, verified.stale, request)
    let session: Session | undefined
    try {
      session = immediate.get(verified.id, verified.digest)
    } catch (error) {
      return this.#openFailed(error, request)
    }
    const now = this.options.now()
    if (this.#expiredOnOpen(session, now)) {
      try {
        immediate.delete(session.id)
      } catch {
        // Gone from this request's view all the same; the store's own expiry removes it later.
      }
      session = undefined
    }
    return this.#opened(session, request, verified.stale, now)
  }

  async #openFromStore(id: string, stale: boolean, request: SessionRequest): Promise<SessionHandle> {
    let session: Session | undefined
    try {
      session = await this.store.get(id)
    } catch (error) {
      return this.#openFailed(error, request)
    }
    const now = this.options.now()
    if (this.#expiredOnOpen(session, now)) {
      await this.store.delete(session.id).catch(() => undefined)
      session = undefined
    }
    return this.#opened(session, request, stale, now)
  }

  /** Whether a loaded session is over at `now` by the manager's clock (then reported `expired`). */
  #expiredOnOpen(session: Session | undefined, now: number): session is Session {
    if (session === undefined || !session.isExpired(now)) return false
    if (this.events.hasListeners) this.emit({ type: 'expired', digest: digestId(session.id) })
    return true
  }

  #opened(session: Session | undefined, request: SessionRequest, stale: boolean, now: number): SessionHandle {
    if (session !== undefined && this.events.hasListeners) this.emit({ type: 'loaded', session })
    return new SessionHandle(this, session, request, true, session !== undefined && stale, now)
  }

  /** A store failure while loading: thrown on, or (`onStoreError: 'anonymous'`) a degraded handle. */
  #openFailed(error: unknown, request: SessionRequest): SessionHandle {
    try {
      this.storeFailed(error, 'get')
    } catch (failure) {
      if (!(failure instanceof Degraded)) throw failure
    }
    const handle = new SessionHandle(this, undefined, request, true, false)
    handle.degrade()
    return handle
  }

  /** Whether `request` came over TLS (or, with `trustProxy`, says so in `X-Forwarded-Proto`). */
  isSecure(request: SessionRequest): boolean {
    return request.encrypted || (this.options.trustProxy && isHttps(request.forwardedProto))
  }

  /** A new, unsaved, anonymous session. */
  fresh(): Session {
    return this.newSession(null, undefined)
  }

  newSession(auth: AuthInfo | null, data: Session['data'] | undefined): Session {
    const { ttl, absoluteTtl, now } = this.options
    return new Session(
      mintSessionId(),
      auth,
      ttl,
      data === undefined ? { absoluteTtl, now: now() } : { absoluteTtl, now: now(), data },
    )
  }

  /** Throws `NOT_SERIALIZABLE` or `SESSION_TOO_LARGE` when no store could keep the session. */
  assertStorable(session: Session): void {
    const size = sessionRecordSize(session)
    if (size > this.options.maxSessionBytes) {
      throw new SessionError(
        'SESSION_TOO_LARGE',
        `the session is ${size} bytes encoded, over maxSessionBytes (${this.options.maxSessionBytes})`,
      )
    }
  }

  /** Checks size and serializability, then saves. Throws SessionError. */
  async persist(session: Session): Promise<void> {
    this.assertStorable(session)
    try {
      await this.store.save(session)
    } catch (error) {
      this.storeFailed(error, 'save')
    }
  }

  /** {@link persist} through a store's immediate calls. */
  persistNow(session: Session, immediate: ImmediateStore): void {
    this.assertStorable(session)
    try {
      immediate.save(session)
    } catch (error) {
      this.storeFailed(error, 'save')
    }
  }

  async touch(session: Session): Promise<void> {
    try {
      await this.store.touch(session)
    } catch (error) {
      this.storeFailed(error, 'touch')
    }
  }

  /** {@link touch} through a store's immediate calls. */
  touchNow(session: Session, immediate: ImmediateStore): void {
    try {
      immediate.touch(session)
    } catch (error) {
      this.storeFailed(error, 'touch')
    }
  }

  async delete(session: Session, reason: DestroyReason): Promise<void> {
    try {
      await this.store.delete(session.id)
    } catch (error) {
      this.storeFailed(error, 'delete')
    }
    if (this.events.hasListeners) this.emit({ type: 'destroyed', digest: digestId(session.id), reason })
  }

  /**
   * Turns a store failure into a SessionError. With `onStoreError: 'fail'` (or for errors no
   * fallback can fix) it throws; with `'anonymous'` it emits `storeError` and throws a marker the
   * handle catches to degrade.
   */
  storeFailed(error: unknown, operation: 'get' | 'save' | 'touch' | 'delete' | 'list'): never {
    if (SessionError.is(error) && KEEP_ALWAYS.has(error.code)) throw error
    const failure = SessionError.is(error)
      ? error
      : new SessionError('STORE_UNAVAILABLE', `session store failed during ${operation}`, { cause: error })
    if (this.options.onStoreError === 'anonymous') {
      if (this.events.hasListeners) this.emit({ type: 'storeError', error: failure, operation })
      throw new Degraded(failure)
    }
    throw failure
  }

  /** The Set-Cookie value for a stored session. */
  cookieFor(session: Session, secure: boolean): string {
    const settings = this.options.cookie
    let maxAge: number | undefined
    if (typeof settings.maxAge === 'number') maxAge = settings.maxAge
    else if (settings.maxAge === 'absolute' && session.meta.absoluteTtl !== null) {
      const left = session.meta.createdAt + session.meta.absoluteTtl * 1000 - this.options.now()
      maxAge = Math.max(0, Math.floor(left / 1000))
    }
    return serializeCookie(settings, this.keys.sign(session.id), maxAge, this.secureFor(secure))
  }

  clearingCookie(secure: boolean): string {
    return serializeClearingCookie(this.options.cookie, this.secureFor(secure))
  }

  secureFor(requestSecure: boolean): boolean {
    const value = cookieIsSecure(this.options.cookie, requestSecure)
    if (value && !requestSecure && this.events.hasListeners) {
      this.emit({ type: 'insecureCookie', cookieName: this.options.cookie.name })
    }
    return value
  }

  isContentful(session: Session): boolean {
    return hasContent(session)
  }
}

/** A request opener, for {@link sessionOpener}. */
type Opener = (request: SessionRequest) => RequestSession | Promise<RequestSession>
/** A manager's opener without promises, valid while `open` is still the one it was made with. */
const OPENER = Symbol('satchel.opener')
type WithOpener = SessionManager & { readonly [OPENER]?: { open: SessionManager['open']; now: Opener } }

/**
 * The function a binding opens each request's session with: the manager's `open()`, except that
 * for a manager made by {@link createSessionManager} it returns the handle itself, without a
 * promise or a tick, when nothing has to be waited for (no cookie, a rejected one, or a store
 * that answers at once, like the memory store).
 *
 * @param manager - the binding's manager
 * @returns `(request) => handle | Promise<handle>`; it throws (or rejects) as `open()` rejects
 * @example
 * ```ts
 * const open = sessionOpener(manager)
 * const opened = open(requestInput(req))
 * const handle = opened instanceof Promise ? await opened : opened
 * ```
 */
export function sessionOpener(manager: SessionManager): Opener {
  const opener = (manager as WithOpener)[OPENER]
  // A wrapper that copied the manager (`{ ...manager, open }`) must see every open itself.
  return opener !== undefined && opener.open === manager.open
    ? opener.now
    : (request) => manager.open(request)
}

/**
 * Creates the framework-free session manager the bindings drive: per request, `open()` with the
 * `Cookie` header and whether the request is secure, then `commit()` for the `Set-Cookie` values.
 *
 * @throws SessionError `SECRET_TOO_SHORT` or `INVALID_OPTIONS` at start-up.
 * @example
 * ```ts
 * const manager = createSessionManager({ secret: process.env.SESSION_SECRET! })
 * const handle = await manager.open({ cookie: req.headers.cookie, encrypted: false })
 * handle.session.data.set('visits', (handle.session.data.get('visits') ?? 0) + 1)
 * res.setHeader('set-cookie', await handle.commit())
 * ```
 */
export function createSessionManager(options: SessionOptions): SessionManager {
  const core = new ManagerCore(options)
  const open = async (request: SessionRequest) => core.open(request)
  const manager: WithOpener = {
    [OPENER]: { open, now: (request) => core.open(request) },
    open,
    subscribe: (listener) => core.events.subscribe(listener),
    store: core.store,
    close: () => core.close(),
  }
  return manager
}
