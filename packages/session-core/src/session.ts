import { Bag, type BagEvent, type BagObserver } from '@satchel/bag'
import { type AuthInfo, snapshotAuth } from './auth-snapshot.js'
import { Avatar, attachAvatarData, peekAvatarData } from './avatar.js'
import { copyTemplate, decodeBag, encodeBag } from './bag-codec.js'
import { digestId } from './session-id.js'

/** Server-managed metadata of a session. Times in epoch milliseconds, lifetimes in seconds. */
export interface SessionMeta {
  createdAt: number
  lastAccess: number
  /** Idle timeout in seconds. */
  ttl: number
  /** Absolute lifetime in seconds since `createdAt`, or null for none. */
  absoluteTtl: number | null
}

/**
 * One change to a session's Bags, recorded from Bag events. `path: []` means the whole Bag.
 * `ensure` is the insertion of an empty Bag (an autocreated parent, or `set(path, new Bag())` on
 * a new label): replaying it keeps a Bag another request already filled at that path.
 */
export interface Change {
  scope: 'data' | 'avatar'
  path: readonly string[]
  kind: 'set' | 'ensure' | 'delete'
}

/**
 * @internal Decoded Bags a store keeps for hot records; a session deep-copies them instead of
 * decoding its bytes. Only Bags whose values are all immutable (see `decodeTemplate`).
 */
export interface SessionTemplates {
  data: Bag | undefined
  avatar: Bag | undefined
}

/** Options of `new Session()`. */
export interface SessionInit {
  /** Absolute lifetime in seconds, or null. @default null */
  absoluteTtl?: number | null
  /** Creation time in epoch milliseconds. @default Date.now() */
  now?: number
  /** Initial data (taken as is, not copied). */
  data?: Bag
}

/** The change log of a session with no changes (never written to: replaced by the first change). */
const NO_CHANGES: Change[] = Object.freeze([]) as unknown as Change[]

/** Beyond this many changes in one scope the scope is saved (and replayed) as a whole. */
const MAX_CHANGES = 256

type Scope = 'data' | 'avatar'

let trustedAuth = false
let loadAvatarData: (owner: object) => Bag
let internals: {
  record(session: Session, scope: Scope, event: BagEvent): void
  scopeBytes(session: Session, scope: Scope): Uint8Array | undefined
  hasContent(session: Session): boolean
  markChanged(session: Session, scope: Scope): void
  wholeScope(session: Session, scope: Scope): void
  templates(session: Session): SessionTemplates
  digest(session: Session, known: string | undefined): string
  setBytes(
    session: Session,
    data: Uint8Array | undefined,
    avatar: Uint8Array | undefined,
    version: number,
    templates: SessionTemplates | undefined,
  ): void
}

/**
 * A server-managed session: an id (the token sent in the cookie), metadata, a Bag of data, the
 * auth snapshot taken at creation or login, and the avatar built from it. Changes to `data` and
 * `avatar.data` are tracked through Bag events, so nobody calls a save by hand.
 *
 * @example
 * ```ts
 * const session = new Session(mintSessionId(), { identity: 'ada' }, 3600, { absoluteTtl: 86400 })
 * session.data.set('cart.items', 3)
 * session.changes // [{ scope: 'data', path: ['cart'], kind: 'set' }, …]
 * ```
 */
export class Session {
  /** The raw token; only ever sent in the cookie. Stores keep its digest. */
  readonly id: string
  /** `createdAt`, `lastAccess` (epoch ms), `ttl`, `absoluteTtl` (seconds). */
  readonly meta: Readonly<SessionMeta>
  /** The auth snapshot (frozen plain data), or null for an anonymous session. */
  readonly auth: AuthInfo | null
  #avatar: Avatar | undefined
  #data: Bag | undefined
  #dataBytes: Uint8Array | undefined
  #templates: SessionTemplates | undefined
  #dataStale = false
  #avatarBytes: Uint8Array | undefined
  #avatarStale = false
  // Shared empty log and two flags until something changes: a read allocates neither.
  #changes: Change[] = NO_CHANGES
  #wholeData = false
  #wholeAvatar = false
  #version = 0
  #destroyed = false
  /** `digestId(id)`, once a store computed it (one SHA-256 less per write). */
  #digest: string | undefined

  static {
    internals = {
      record: (session, scope, event) => session.#record(scope, event),
      scopeBytes: (session, scope) => session.#scopeBytes(scope),
      hasContent: (session) => session.#hasContent(),
      wholeScope: (session, scope) => session.#wholeScope(scope),
      markChanged: (session, scope) => {
        if (scope === 'data') {
          session.#dataStale = true
          void session.data
        } else {
          session.#avatarStale = true
          void session.avatar.data
        }
      },
      templates: (session) => session.#currentTemplates(),
      digest: (session, known) => {
        if (known !== undefined) session.#digest = known
        else session.#digest ??= digestId(session.id)
        return session.#digest
      },
      setBytes: (session, data, avatar, version, templates) => {
        session.#dataBytes = data
        session.#avatarBytes = avatar
        session.#version = version
        session.#templates = templates
      },
    }
  }

  /**
   * @param id the session token (see `mintSessionId`)
   * @param auth the auth snapshot, copied and frozen; null for anonymous
   * @param ttl idle timeout in seconds
   * @throws SessionError `INVALID_AUTH` / `NOT_SERIALIZABLE` when `auth` is not plain data with an identity
   */
  constructor(id: string, auth: AuthInfo | null, ttl: number, options: SessionInit = {}) {
    this.id = id
    const now = options.now ?? Date.now()
    this.meta = { createdAt: now, lastAccess: now, ttl, absoluteTtl: options.absoluteTtl ?? null }
    this.auth = auth === null || auth === undefined ? null : trustedAuth ? auth : snapshotAuth(auth)
    if (options.data !== undefined) {
      this.#data = this.#track(options.data, 'data')
      this.#dataStale = true
    }
  }

  /** The user, built from `auth` on first access (most requests never read it). */
  get avatar(): Avatar {
    let avatar = this.#avatar
    if (avatar === undefined) {
      avatar = new Avatar(undefined, undefined, this.auth)
      attachAvatarData(avatar, this, loadAvatarData)
      this.#avatar = avatar
    }
    return avatar
  }

  /** Application data. Decoded from the store on first access; changes are tracked. */
  get data(): Bag {
    if (this.#data === undefined) {
      const bytes = this.#dataBytes
      const template = this.#templates?.data
      this.#data = this.#track(
        bytes === undefined ? new Bag() : template ? template.deepcopy() : decodeBag(bytes),
        'data',
      )
    }
    return this.#data
  }

  /** Whether the session has passed its idle (`lastAccess + ttl`) or absolute (`createdAt + absoluteTtl`) expiry. */
  isExpired(now: number = Date.now()): boolean {
    const meta = this.meta
    return (
      now >= meta.lastAccess + meta.ttl * 1000 ||
      (meta.absoluteTtl !== null && now >= meta.createdAt + meta.absoluteTtl * 1000)
    )
  }

  /** Sets `lastAccess` to `now`. */
  touch(now: number = Date.now()): void {
    ;(this.meta as SessionMeta).lastAccess = now
  }

  /** The changes made since the session was loaded or last saved, in order. */
  get changes(): readonly Change[] {
    return this.#changes
  }

  /** Whether the session has unsaved changes to its data or avatar data. */
  get isDirty(): boolean {
    return this.#changes.length > 0
  }

  /** Whether the session was never stored. */
  get isNew(): boolean {
    return this.#version === 0
  }

  /** The stored record version this session is based on (0 = never stored). */
  get version(): number {
    return this.#version
  }

  /** Whether a store found this session deleted while saving it. */
  get isDestroyed(): boolean {
    return this.#destroyed
  }

  /**
   * Called by a store after a successful save: clears the change log and sets the version the
   * session is based on. After a save that replayed the changes onto a newer record, a store
   * passes the old `session.version`, so a later save replays again instead of overwriting.
   */
  markSaved(version: number): void {
    this.#changes = NO_CHANGES
    this.#wholeData = false
    this.#wholeAvatar = false
    this.#version = version
  }

  /** Called by a store when a save found the session deleted; the session is not stored again. */
  markDestroyed(): void {
    this.#destroyed = true
    this.#changes = NO_CHANGES
  }

  #track(bag: Bag, scope: Scope): Bag {
    // One observer, not a subscription: it also hears of the changes that fire no event (a
    // root-level clear, fillFrom, update, delAttr or sort, SPEC §10.2), and costs one object.
    bag.observe(new ScopeTracker(this, scope))
    return bag
  }

  #record(scope: Scope, event: BagEvent): void {
    if (scope === 'data') this.#dataStale = true
    else this.#avatarStale = true
    if (scope === 'data' ? this.#wholeData : this.#wholeAvatar) return
    const base = event.pathlist
    // An update's pathlist already ends at the node; events are read-only, so it is shared.
    const path = event.event === 'ins' || event.event === 'del' ? [...base, event.node.label] : base
    if (this.#changes === NO_CHANGES) this.#changes = []
    const changes = this.#changes
    changes.push({ scope, path, kind: changeKind(event) })
    if (
      changes.length > MAX_CHANGES &&
      changes.filter((change) => change.scope === scope).length > MAX_CHANGES
    ) {
      this.#wholeScope(scope)
    }
  }

  #wholeScope(scope: Scope): void {
    if (scope === 'data') this.#dataStale = true
    else this.#avatarStale = true
    if (scope === 'data' ? this.#wholeData : this.#wholeAvatar) return
    if (scope === 'data') this.#wholeData = true
    else this.#wholeAvatar = true
    this.#changes = this.#changes.filter((change) => change.scope !== scope)
    this.#changes.push({ scope, path: [], kind: 'set' })
  }

  #scopeBytes(scope: Scope): Uint8Array | undefined {
    if (scope === 'data') {
      if (this.#data !== undefined && this.#dataStale) {
        this.#dataBytes = encodeScope(this.#data)
        this.#dataStale = false
      }
      return this.#dataBytes
    }
    const avatarData = this.#peekAvatarData()
    if (avatarData !== undefined && this.#avatarStale) {
      this.#avatarBytes = encodeScope(avatarData)
      this.#avatarStale = false
    }
    return this.#avatarBytes
  }

  /** Templates of the Bags as they are now: copies of loaded ones, the cached ones otherwise. */
  #currentTemplates(): SessionTemplates {
    // A scope never loaded still has the bytes, and so the template, it was loaded with.
    const data = this.#data
    const avatarData = this.#peekAvatarData()
    return {
      data: data === undefined ? this.#templates?.data : copyTemplate(data),
      avatar: avatarData === undefined ? this.#templates?.avatar : copyTemplate(avatarData),
    }
  }

  #hasContent(): boolean {
    if (this.auth !== null) return true
    const data = this.#data
    if (data !== undefined ? data.length > 0 : this.#dataBytes !== undefined) return true
    const avatarData = this.#peekAvatarData()
    return avatarData !== undefined ? avatarData.length > 0 : this.#avatarBytes !== undefined
  }

  /** The avatar's data Bag if it was ever made, without making the avatar or its Bag. */
  #peekAvatarData(): Bag | undefined {
    return this.#avatar === undefined ? undefined : peekAvatarData(this.#avatar)
  }

  static #loadAvatar(session: Session): Bag {
    const bytes = session.#avatarBytes
    const template = session.#templates?.avatar
    return session.#track(
      bytes === undefined ? new Bag() : template ? template.deepcopy() : decodeBag(bytes),
      'avatar',
    )
  }

  static {
    loadAvatarData = (owner) => Session.#loadAvatar(owner as Session)
  }
}

/** Records a tracked Bag's changes in its session's change log. */
class ScopeTracker implements BagObserver {
  readonly #session: Session
  readonly #scope: Scope

  constructor(session: Session, scope: Scope) {
    this.#session = session
    this.#scope = scope
  }

  change(event: BagEvent): void {
    internals.record(this.#session, this.#scope, event)
  }

  whole(): void {
    internals.wholeScope(this.#session, this.#scope)
  }
}

function encodeScope(bag: Bag): Uint8Array | undefined {
  return bag.length === 0 ? undefined : encodeBag(bag)
}

/**
 * @internal Builds a session from stored parts without re-validating the auth snapshot; the
 * Bags are decoded on first access.
 */
export function hydrateSession(
  id: string,
  meta: Readonly<SessionMeta>,
  auth: AuthInfo | null,
  version: number,
  dataBytes: Uint8Array | undefined,
  avatarBytes: Uint8Array | undefined,
  templates?: SessionTemplates,
): Session {
  trustedAuth = true
  let session: Session
  try {
    session = new Session(id, auth, meta.ttl, { absoluteTtl: meta.absoluteTtl, now: meta.createdAt })
  } finally {
    trustedAuth = false
  }
  session.touch(meta.lastAccess)
  internals.setBytes(session, dataBytes, avatarBytes, version, templates)
  return session
}

/** @internal The encoded TYTX msgpack bytes of a scope (cached while unchanged); undefined = empty. */
export function scopeBytes(session: Session, scope: Scope): Uint8Array | undefined {
  return internals.scopeBytes(session, scope)
}

/**
 * @internal Templates of the session's Bags as they are at this moment (a store that writes the
 * session takes them with the bytes it stores, so both show the same state).
 */
export function currentTemplates(session: Session): SessionTemplates {
  return internals.templates(session)
}

/** @internal `digestId(session.id)`, computed once per session object. */
export function sessionDigest(session: Session): string {
  return internals.digest(session, undefined)
}

/** @internal Records the digest a store looked the session up by, so its write need not hash again. */
export function withDigest(session: Session, digest: string): Session {
  internals.digest(session, digest)
  return session
}

/** @internal Whether a session holds auth or any data worth storing. */
export function hasContent(session: Session): boolean {
  return internals.hasContent(session)
}

/** @internal Marks a scope as changed so the next encode re-encodes it (used by replay). */
export function markScopeChanged(session: Session, scope: Scope): void {
  internals.markChanged(session, scope)
}

function changeKind(event: BagEvent): Change['kind'] {
  if (event.event === 'del') return 'delete'
  const value = event.node.value
  return event.event === 'ins' && value instanceof Bag && value.length === 0 ? 'ensure' : 'set'
}
