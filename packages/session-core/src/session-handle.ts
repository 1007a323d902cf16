import type { AuthInfo } from './auth-snapshot.js'
import { Degraded } from './degraded.js'
import { type ImmediateStore, immediateOf } from './immediate-store.js'
import type { Session } from './session.js'
import { digestId } from './session-id.js'
import type { ManagerCore, RequestSession, SessionControl, SessionRequest } from './session-manager.js'
import type { SessionInfo } from './session-store.js'

/**
 * One request's session state (internal; typed publicly as `RequestSession`). Methods live on
 * the prototype, so a request costs one object and no closures.
 */
export class SessionHandle implements RequestSession, SessionControl {
  readonly #core: ManagerCore
  #session: Session | undefined
  /** The request, asked whether it is secure only when a cookie is written. */
  readonly #request: SessionRequest
  #secure: boolean | undefined
  /** The request carried our cookie (valid or not). */
  readonly #hadCookie: boolean
  /** The cookie was signed with an older key: re-issue it. */
  #reissue: boolean
  /** A new id must reach the browser (login). */
  #sendCookie = false
  /** The browser's cookie must be removed unless a new one replaces it. */
  #clearCookie = false
  /** A store failure made this request anonymous: nothing is written. */
  #degraded = false
  #commit: Promise<string[]> | undefined
  /** The Set-Cookie values of a commit that needed no store work. */
  #settled: string[] | undefined
  /**
   * When the session was loaded, by the manager's clock: whether it is due a touch is judged at
   * the time it was read (one clock read less per request), as its expiry was.
   */
  readonly #openedAt: number | undefined

  constructor(
    core: ManagerCore,
    session: Session | undefined,
    request: SessionRequest,
    hadCookie: boolean,
    reissue: boolean,
    openedAt?: number,
  ) {
    this.#core = core
    this.#session = session
    this.#request = request
    this.#hadCookie = hadCookie
    this.#reissue = reissue
    this.#openedAt = openedAt
  }

  /** @internal */
  degrade(): void {
    this.#degraded = true
  }

  get session(): Session {
    let session = this.#session
    if (session === undefined) this.#session = session = this.#core.fresh()
    return session
  }

  get avatar(): Session['avatar'] {
    return this.session.avatar
  }

  get sessions(): SessionControl {
    return this
  }

  async login(auth: AuthInfo, options: { keepData?: boolean } = {}): Promise<Session> {
    const core = this.#core
    const old = this.#session
    const data = options.keepData && old !== undefined ? old.data.deepcopy() : undefined
    const next = core.newSession(auth, data)
    core.assertStorable(next) // before the old session goes: a failing login changes nothing
    await this.#control(async () => {
      if (old !== undefined && !old.isNew) await core.delete(old, 'login')
      await core.persist(next)
    })
    this.#session = next
    this.#sendCookie = true
    this.#reissue = false
    if (core.events.hasListeners) {
      core.emit({
        type: 'regenerated',
        session: next,
        previousDigest: old === undefined || old.isNew ? undefined : digestId(old.id),
        reason: 'login',
      })
      core.emit({ type: 'created', session: next })
    }
    return next
  }

  async logout(): Promise<void> {
    await this.#drop('logout')
  }

  destroy(): Promise<void> {
    return this.#drop('logout')
  }

  async regenerate(): Promise<void> {
    const old = this.#session
    await this.#drop('regenerate')
    if (this.#core.events.hasListeners) {
      this.#core.emit({
        type: 'regenerated',
        session: this.session,
        previousDigest: old === undefined || old.isNew ? undefined : digestId(old.id),
        reason: 'regenerate',
      })
    }
  }

  async logoutEverywhere(options: { keepCurrent?: boolean } = {}): Promise<number> {
    const session = this.#session
    if (session === undefined || session.auth === null) return 0
    const core = this.#core
    let removed = 0
    await this.#control(async () => {
      try {
        removed = await core.store.deleteByIdentity(
          session.auth!.identity,
          options.keepCurrent && !session.isNew ? { except: session.id } : {},
        )
      } catch (error) {
        core.storeFailed(error, 'delete')
      }
    })
    if (!options.keepCurrent) {
      if (core.events.hasListeners)
        core.emit({ type: 'destroyed', digest: digestId(session.id), reason: 'logoutEverywhere' })
      this.#replaceByFresh(session)
    }
    return removed
  }

  async list(): Promise<(SessionInfo & { current: boolean })[]> {
    const session = this.#session
    if (session === undefined || session.auth === null) return []
    const core = this.#core
    let infos: SessionInfo[] = []
    await this.#control(async () => {
      try {
        infos = await core.store.listByIdentity(session.auth!.identity)
      } catch (error) {
        core.storeFailed(error, 'list')
      }
    })
    const current = digestId(session.id)
    return infos.map((info) => ({ ...info, current: info.digest === current }))
  }

  async reload(): Promise<void> {
    const session = this.#session
    if (session === undefined || session.isNew) {
      this.#session = undefined
      return
    }
    const core = this.#core
    await this.#guard(async () => {
      let loaded: Session | undefined
      try {
        loaded = await core.store.get(session.id)
      } catch (error) {
        core.storeFailed(error, 'get')
      }
      this.#session = loaded
    })
  }

  async save(): Promise<void> {
    const session = this.#session
    if (session === undefined || this.#degraded) return
    await this.#guard(() => this.#write(session))
  }

  commit(): Promise<string[]> {
    if (this.#commit === undefined) {
      let settled: string[] | Promise<string[]>
      try {
        settled = this.settle()
      } catch (error) {
        return this.#commit ?? Promise.reject(error)
      }
      this.#commit = Array.isArray(settled) ? Promise.resolve(settled) : settled
    }
    return this.#commit
  }

  settle(): string[] | Promise<string[]> {
    if (this.#commit !== undefined) return this.#commit
    if (this.#settled !== undefined) return this.#settled
    // The common read has nothing to store: answer now, without a promise, a closure or a tick.
    if (!this.#storeWork()) {
      this.#settled = this.#setCookies()
      return this.#settled
    }
    const immediate = immediateOf(this.#core.store)
    if (immediate === undefined) {
      this.#commit = this.#runCommit()
      return this.#commit
    }
    // A store that answers at once (the memory store): the write is done before this returns.
    try {
      this.#commitNow(immediate)
    } catch (error) {
      const failed = Promise.reject(error)
      failed.catch(() => {}) // commit() hands it out; settle() throws it here
      this.#commit = failed
      throw error
    }
    this.#settled = this.#setCookies()
    return this.#settled
  }

  /** Whether the commit has to call the store. */
  #storeWork(): boolean {
    const session = this.#session
    if (this.#degraded || session === undefined || session.isDestroyed) return false
    if (session.isNew) return this.#core.isContentful(session)
    if (session.isDirty) return true
    const { options } = this.#core
    return (this.#openedAt ?? options.now()) - session.meta.lastAccess >= options.touchAfterMs
  }

  async #runCommit(): Promise<string[]> {
    const session = this.#session!
    const core = this.#core
    // #guard's work inline: no closure and one async frame less on every write.
    try {
      if (session.isNew || session.isDirty) {
        await this.#write(session)
      } else {
        session.touch(core.options.now())
        await core.touch(session)
        this.#touched(session)
      }
    } catch (error) {
      this.#degradeOn(error)
    }
    return this.#setCookies()
  }

  /** {@link #runCommit}'s store work through a store's immediate calls. */
  #commitNow(immediate: ImmediateStore): void {
    const session = this.#session!
    const core = this.#core
    try {
      if (session.isNew || session.isDirty) {
        this.#writeNow(session, immediate)
      } else {
        session.touch(core.options.now())
        core.touchNow(session, immediate)
        this.#touched(session)
      }
    } catch (error) {
      this.#degradeOn(error)
    }
  }

  #touched(session: Session): void {
    if (this.#core.events.hasListeners) this.#core.emit({ type: 'committed', session, operation: 'touch' })
  }

  /** The Set-Cookie values, once the store work is done. */
  #setCookies(): string[] {
    if (this.#degraded) return []
    const session = this.#session
    const live = session !== undefined && !session.isNew && !session.isDestroyed
    if (live && (this.#sendCookie || this.#reissue)) return [this.#core.cookieFor(session, this.#isSecure())]
    // A session another request destroyed (logout, login) is not cleared here: that request
    // already answered with the right cookie, and a late clear could log out a fresh login.
    if (this.#clearCookie) return [this.#core.clearingCookie(this.#isSecure())]
    return []
  }

  #isSecure(): boolean {
    this.#secure ??= this.#core.isSecure(this.#request)
    return this.#secure
  }

  /** Inserts a new session with content, or saves a changed one. */
  async #write(session: Session): Promise<void> {
    const operation = this.#beginWrite(session)
    if (operation === undefined) return
    await this.#core.persist(session)
    this.#endWrite(session, operation)
  }

  /** {@link #write} through a store's immediate calls. */
  #writeNow(session: Session, immediate: ImmediateStore): void {
    const operation = this.#beginWrite(session)
    if (operation === undefined) return
    this.#core.persistNow(session, immediate)
    this.#endWrite(session, operation)
  }

  /** What writing `session` stores, with its lastAccess moved to now; undefined when nothing. */
  #beginWrite(session: Session): 'insert' | 'save' | undefined {
    const core = this.#core
    if (session.isNew ? !core.isContentful(session) : !session.isDirty || session.isDestroyed)
      return undefined
    session.touch(core.options.now())
    return session.isNew ? 'insert' : 'save'
  }

  #endWrite(session: Session, operation: 'insert' | 'save'): void {
    const core = this.#core
    if (operation === 'insert') {
      this.#sendCookie = true
      if (core.events.hasListeners) {
        core.emit({ type: 'created', session })
        core.emit({ type: 'committed', session, operation: 'insert' })
      }
    } else if (core.events.hasListeners && !session.isDestroyed) {
      core.emit({ type: 'committed', session, operation: 'save' })
    }
  }

  async #drop(reason: 'logout' | 'regenerate'): Promise<void> {
    const old = this.#session
    if (old !== undefined && !old.isNew) await this.#control(() => this.#core.delete(old, reason))
    this.#replaceByFresh(old)
  }

  #replaceByFresh(old: Session | undefined): void {
    this.#session = undefined
    this.#sendCookie = false
    this.#reissue = false
    if (this.#hadCookie || (old !== undefined && !old.isNew)) this.#clearCookie = true
  }

  /**
   * Runs an explicit control step (login, logout, logout everywhere, list): a store failure is
   * always thrown, also with `onStoreError: 'anonymous'` (after the `storeError` event), because
   * a login or a logout that silently did nothing would be worse than an error page.
   */
  async #control(step: () => Promise<void>): Promise<void> {
    try {
      await step()
    } catch (error) {
      throw error instanceof Degraded ? error.failure : error
    }
  }

  /** Runs a store step; a degrading store failure makes the request anonymous instead of throwing. */
  async #guard(step: () => Promise<void>): Promise<void> {
    try {
      await step()
    } catch (error) {
      this.#degradeOn(error)
    }
  }

  /** A degrading store failure makes the request anonymous; anything else is thrown on. */
  #degradeOn(error: unknown): void {
    if (!(error instanceof Degraded)) throw error
    this.#degraded = true
    this.#session = this.#core.fresh()
  }
}
