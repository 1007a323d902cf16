import type { AuthInfo } from './auth-snapshot.js'
import type { Session, SessionMeta } from './session.js'

/** What a store tells about one session: never its raw id. */
export interface SessionInfo {
  /** SHA-256 digest of the id, base64url. */
  digest: string
  meta: Readonly<SessionMeta>
  /** `auth.identity`, or `'anonymous'`. */
  identity: string
  tags: readonly string[]
}

/** One session in a {@link SessionDump}. */
export interface DumpEntry {
  digest: string
  meta: SessionMeta
  auth: AuthInfo | null
  /** `session.data` as TYTX JSON text. */
  data: string
  /** `session.avatar.data` as TYTX JSON text. */
  avatarData: string
}

/** The versioned, typed, lossless dump format every store reads and writes. */
export interface SessionDump {
  format: 'satchel-sessions'
  version: 1
  sessions: DumpEntry[]
}

/** Events a store may report (the manager forwards them as its own events). */
export type StoreEvent = { type: 'evicted'; digest: string } | { type: 'expired'; digest: string }

/**
 * Where sessions live. Every method is async; every store passes the conformance suite in
 * `@satchel/session-core/testing`. Stores key sessions by `digestId(id)` and keep encoded
 * records (`encodeRecord`), so they all accept and reject exactly the same data.
 */
export interface SessionStore {
  /** Mints an id, stores a new session for `auth` and returns it. */
  create(auth?: AuthInfo | null): Promise<Session>
  /** The session for a raw id; undefined when missing, expired (then removed) or deleted. */
  get(id: string): Promise<Session | undefined>
  /**
   * Inserts a new session, or applies the session's changes on top of the stored version
   * (replaying them when another writer won the race). A save of a deleted session stores nothing.
   */
  save(session: Session): Promise<void>
  /** Persists `session.meta.lastAccess` only. */
  touch(session: Session): Promise<void>
  /** Removes a session and leaves a tombstone so a late save cannot bring it back. */
  delete(id: string): Promise<void>
  /** Sessions of an authenticated identity. */
  listByIdentity(identity: string): Promise<SessionInfo[]>
  /** Deletes every session of an identity, except the raw id `except`; returns how many. */
  deleteByIdentity(identity: string, options?: { except?: string }): Promise<number>
  /** Number of live sessions. */
  count(): Promise<number>
  /** Every live session, as infos. */
  entries(): AsyncIterable<SessionInfo>
  /** Removes every session (and tombstone). */
  clear(): Promise<void>
  /** Every live session in the shared dump format. */
  dump(): Promise<SessionDump>
  /** Adds the sessions of a dump; validates all of it first (all or nothing); drops expired entries. */
  restore(dump: SessionDump): Promise<void>
  /** Releases timers and connections (and, for the memory store, writes `persistFile`). */
  close(): Promise<void>
  /** Optional: store-side events (eviction, expiry found by a sweep). */
  subscribe?(listener: (event: StoreEvent) => void): () => void
}
