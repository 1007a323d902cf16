import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { type AuthInfo, parseAuth } from './auth-snapshot.js'
import { DUMP_FORMAT, DUMP_VERSION, parseDump, toDumpEntry } from './dump-format.js'
import { IMMEDIATE, type ImmediateStore } from './immediate-store.js'
import { HotRecords } from './memory-store-hot.js'
import {
  metaDeadline,
  packRecord,
  recordAuthJson,
  recordExpired,
  recordHasAuth,
  recordLastAccess,
  recordMeta,
  recordVersion,
  unpackRecord,
  withLastAccess,
} from './memory-store-record.js'
import { OldestKeys } from './oldest-keys.js'
import { hydrateParts, type RecordParts, recordParts, sessionFromParts } from './record.js'
import { replayChanges } from './replay.js'
import {
  currentTemplates,
  hydrateSession,
  Session,
  type SessionTemplates,
  sessionDigest,
  withDigest,
} from './session.js'
import { SessionError } from './session-error.js'
import { digestId, isWellFormedId, mintSessionId } from './session-id.js'
import type { SessionDump, SessionInfo, SessionStore, StoreEvent } from './session-store.js'
import { Subscribable } from './subscribable.js'

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Idle timeout in seconds of sessions made by `create()`. @default 3600 */
  defaultTtl?: number
  /** Upper bound on stored sessions; beyond it the least recently used is evicted (`evicted` event). @default unbounded */
  maxSessions?: number
  /** Seconds between sweeps of expired sessions, on an unref'd timer; 0 turns sweeping off. @default 60 */
  sweepInterval?: number
  /** A JSON dump file: restored when the store is made, written by `close()`. */
  persistFile?: string
  /** Also write `persistFile` on SIGTERM (then let the signal end the process as it would have). @default false */
  dumpOnSigterm?: boolean
  /** Seconds a deleted session's tombstone keeps late saves from bringing it back. @default 60 */
  tombstoneTtl?: number
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  now?: () => number
}

/** How many hot records keep decoded templates (least recently read dropped first, approximately). */
const HOT_LIMIT = 2048

function positiveOption(
  value: number | undefined,
  name: string,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new SessionError('INVALID_OPTIONS', `MemorySessionStore: ${name} must be a positive number`)
  }
  return value
}

/**
 * The embedded session store: sessions live in this process as encoded records keyed by the id's
 * digest, so it accepts and rejects exactly what a remote store does; each is one packed string
 * (see `memory-store-record.ts`): ~170 B of heap for a small idle session, key and table slot
 * included. Expired sessions are swept on an unref'd timer; `maxSessions` bounds memory (least
 * recently used first); `persistFile` keeps sessions across restarts.
 *
 * @example
 * ```ts
 * const store = new MemorySessionStore({ maxSessions: 100_000, persistFile: './sessions.json' })
 * ```
 */
export class MemorySessionStore implements SessionStore {
  /** digest → packed record (see memory-store-record.ts); Map order is least recently used first. */
  readonly #entries = new Map<string, string>()
  /** The least recently used digest, for `maxSessions` (see oldest-keys.ts). */
  readonly #oldest = new OldestKeys(this.#entries)
  /**
   * The digest last appended to `#entries` (its most recently used end), or undefined. Rewriting
   * or reading that session again needs no delete + set to keep the LRU order: a Map keeps a
   * deleted slot until it rehashes, so the churn would cost memory (~40 B per session filled
   * create-then-save) as well as time.
   */
  #newest: string | undefined
  /**
   * The last record written and the parts it was packed from: the next read of the same session
   * (a user's next request) takes them instead of unpacking, as the old layout handed out its
   * stored parts. The Bags' bytes are the writer's encoded bytes, which nobody mutates.
   */
  #lastPut: { record: string; parts: RecordParts } | undefined
  readonly #tombstones = new Map<string, number>()
  readonly #byIdentity = new Map<string, Set<string>>()
  readonly #hot = new HotRecords(HOT_LIMIT)
  readonly #events = new Subscribable<StoreEvent>()
  readonly #now: () => number
  readonly #defaultTtl: number
  readonly #maxSessions: number | undefined
  readonly #tombstoneMs: number
  readonly #persistFile: string | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #sigterm: (() => void) | undefined
  /** @internal The request path's calls without promises, for the session manager. */
  readonly [IMMEDIATE]: ImmediateStore = {
    get: (id, digest) => this.#get(id, digest),
    save: (session) => this.#save(session),
    touch: (session) => this.#touch(session),
    delete: (id) => this.#delete(id),
    standsFor: MemorySessionStore.prototype,
  }

  /** @throws SessionError `INVALID_OPTIONS`, or `INVALID_DUMP` when `persistFile` holds a corrupt dump. */
  constructor(options: MemorySessionStoreOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#defaultTtl = positiveOption(options.defaultTtl, 'defaultTtl', 3600)
    this.#maxSessions =
      options.maxSessions === undefined ? undefined : positiveOption(options.maxSessions, 'maxSessions', 0)
    this.#tombstoneMs = positiveOption(options.tombstoneTtl, 'tombstoneTtl', 60, true) * 1000
    this.#persistFile = options.persistFile
    if (options.persistFile !== undefined) this.#restoreFile(options.persistFile)
    const sweep = positiveOption(options.sweepInterval, 'sweepInterval', 60, true)
    if (sweep > 0) {
      this.#timer = setInterval(() => this.sweep(), sweep * 1000)
      this.#timer.unref()
    }
    if (options.dumpOnSigterm) {
      if (options.persistFile === undefined) {
        throw new SessionError('INVALID_OPTIONS', 'MemorySessionStore: dumpOnSigterm needs persistFile')
      }
      const file = options.persistFile
      const onSigterm = (): void => {
        process.removeListener('SIGTERM', onSigterm)
        this.#sigterm = undefined
        this.#writeFileSync(file)
        // We were perhaps the only listener: re-send the signal so the process ends as it would have.
        if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM')
      }
      this.#sigterm = onSigterm
      process.on('SIGTERM', onSigterm)
    }
  }

  /** Store events: `evicted` (maxSessions) and `expired` (found by a sweep or a read). */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    return this.#events.subscribe(listener)
  }

  async create(auth: AuthInfo | null = null): Promise<Session> {
    const session = new Session(mintSessionId(), auth, this.#defaultTtl, { now: this.#now() })
    await this.save(session)
    return session
  }

  async get(id: string): Promise<Session | undefined> {
    return this.#get(id)
  }

  async save(session: Session): Promise<void> {
    this.#save(session)
  }

  async touch(session: Session): Promise<void> {
    this.#touch(session)
  }

  async delete(id: string): Promise<void> {
    this.#delete(id)
  }

  /** `known`: the id's digest, given only for a well-formed id (see ImmediateStore.get). */
  #get(id: string, known?: string): Session | undefined {
    let digest = known
    if (digest === undefined) {
      if (!isWellFormedId(id)) return undefined
      digest = digestId(id)
    }
    const record = this.#entries.get(digest)
    if (record === undefined) return undefined
    const now = this.#now()
    // A hot record has its meta, deadline, auth and Bags at hand: no unpacking, no decoding.
    const hot = this.#hot.get(digest, record)
    if (hot !== undefined) {
      if (now >= hot.deadline) return this.#expire(digest)
      this.#used(digest, record)
      const { data, avatarData } = hot
      // hydrateSession reads the meta into the session's own object: no copy needed.
      const session = hydrateSession(
        id,
        hot.meta,
        hot.auth,
        hot.version,
        data ?? undefined,
        avatarData ?? undefined,
        hot.templates,
      )
      return withDigest(session, digest)
    }
    const last = this.#lastPut
    const written = last !== undefined && last.record === record ? last.parts : undefined
    const meta = written === undefined ? recordMeta(record) : written.meta
    if (now >= metaDeadline(meta)) return this.#expire(digest)
    this.#used(digest, record)
    const parts = written ?? unpackRecord(record, meta)
    return withDigest(hydrateParts(parts, id, this.#hot.templatesFor(digest, record, parts)), digest)
  }

  /** Moves a session read to the most recently used end of the table (only `maxSessions` needs the order). */
  #used(digest: string, record: string): void {
    if (this.#maxSessions === undefined || digest === this.#newest) return
    this.#entries.delete(digest)
    this.#entries.set(digest, record)
    this.#newest = digest
  }

  #save(session: Session): void {
    const digest = sessionDigest(session)
    if (this.#isTombstoned(digest)) {
      session.markDestroyed()
      return
    }
    if (session.isNew) {
      this.#put(digest, recordParts(session, 1), session.auth)
      session.markSaved(1)
      return
    }
    const record = this.#live(digest)
    if (record === undefined) {
      // Deleted, expired or evicted meanwhile: a late save must not bring it back.
      session.markDestroyed()
      return
    }
    const stored = recordVersion(record)
    if (stored === session.version) {
      const parts = recordParts(session, stored + 1)
      // A record read since its last write is read again soon: keep it hot through the write.
      const templates = this.#hot.isWarm(digest) ? currentTemplates(session) : undefined
      this.#put(digest, parts, session.auth, templates)
      session.markSaved(stored + 1)
      return
    }
    const latest = sessionFromParts(unpackRecord(record), session.id)
    replayChanges(session, latest)
    this.#put(digest, recordParts(latest, stored + 1), latest.auth)
    session.markSaved(session.version)
  }

  #touch(session: Session): void {
    const digest = sessionDigest(session)
    const record = this.#live(digest)
    if (record === undefined) return
    const lastAccess = session.meta.lastAccess
    // Set on an existing key keeps its place in the LRU order, as the old in-place update did;
    // a hot record's cached meta follows the new record on its next read.
    if (lastAccess > recordLastAccess(record)) this.#entries.set(digest, withLastAccess(record, lastAccess))
  }

  #delete(id: string): void {
    const digest = digestId(id)
    this.#remove(digest)
    this.#tombstone(digest)
  }

  async listByIdentity(identity: string): Promise<SessionInfo[]> {
    const digests = this.#byIdentity.get(identity)
    if (digests === undefined) return []
    const infos: SessionInfo[] = []
    for (const digest of [...digests]) {
      const record = this.#live(digest)
      if (record !== undefined) infos.push(info(digest, record))
    }
    return infos
  }

  async deleteByIdentity(identity: string, options: { except?: string } = {}): Promise<number> {
    const digests = this.#byIdentity.get(identity)
    if (digests === undefined) return 0
    const keep = options.except === undefined ? undefined : digestId(options.except)
    let removed = 0
    for (const digest of [...digests]) {
      if (digest === keep) continue
      if (this.#live(digest) !== undefined) removed++
      this.#remove(digest)
      this.#tombstone(digest)
    }
    return removed
  }

  async count(): Promise<number> {
    this.sweep()
    return this.#entries.size
  }

  async *entries(): AsyncIterable<SessionInfo> {
    for (const digest of [...this.#entries.keys()]) {
      const record = this.#live(digest)
      if (record !== undefined) yield info(digest, record)
    }
  }

  async clear(): Promise<void> {
    this.#hot.clear()
    this.#entries.clear()
    this.#oldest.release()
    this.#newest = undefined
    this.#lastPut = undefined
    this.#tombstones.clear()
    this.#byIdentity.clear()
  }

  async dump(): Promise<SessionDump> {
    return this.#dumpSync()
  }

  async restore(dump: SessionDump): Promise<void> {
    this.#restoreSync(dump)
  }

  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    if (this.#sigterm !== undefined) process.removeListener('SIGTERM', this.#sigterm)
    this.#sigterm = undefined
    if (this.#persistFile !== undefined) {
      const temporary = `${this.#persistFile}.${process.pid}.tmp`
      await writeFile(temporary, JSON.stringify(this.#dumpSync()))
      await rename(temporary, this.#persistFile)
    }
  }

  /**
   * Removes expired sessions and tombstones now (the timer calls this every `sweepInterval`).
   * A scan of the table that reads each record's packed coarse deadline (four chars; the exact
   * times only within a second or two of it), so expiry needs no per-session timer or heap node.
   */
  sweep(): void {
    const now = this.#now()
    // forEach rather than for…of: no entry array per session (deleting while iterating is fine).
    this.#entries.forEach((record, digest) => {
      if (recordExpired(record, now)) this.#expire(digest)
    })
    for (const [digest, until] of this.#tombstones) if (until <= now) this.#tombstones.delete(digest)
    // The table may shrink now and stay under maxSessions for a while: evictions pause.
    this.#oldest.release()
  }

  #live(digest: string): string | undefined {
    const record = this.#entries.get(digest)
    if (record === undefined) return undefined
    if (recordExpired(record, this.#now())) {
      this.#expire(digest)
      return undefined
    }
    return record
  }

  /** Removes an expired session and reports it; returns undefined, what a read of it answers. */
  #expire(digest: string): undefined {
    this.#remove(digest)
    if (this.#events.hasListeners) this.#events.emit({ type: 'expired', digest })
  }

  #isTombstoned(digest: string): boolean {
    const until = this.#tombstones.get(digest)
    if (until === undefined) return false
    if (until > this.#now()) return true
    this.#tombstones.delete(digest)
    return false
  }

  #tombstone(digest: string): void {
    if (this.#tombstoneMs > 0) this.#tombstones.set(digest, this.#now() + this.#tombstoneMs)
  }

  /** Packs and stores a record; with `templates`, its hot entry follows it, otherwise it is dropped. */
  #put(digest: string, parts: RecordParts, auth: AuthInfo | null, templates?: SessionTemplates): void {
    const record = packRecord(parts)
    this.#insert(digest, record, auth?.identity)
    if (templates === undefined) this.#hot.delete(digest)
    else this.#hot.keep(digest, record, parts, auth, templates)
    this.#lastPut = { record, parts }
  }

  /** Stores `record`; `identity` (authenticated sessions only) puts it in the identity index. */
  #insert(digest: string, record: string, identity: string | undefined): void {
    const entries = this.#entries
    // Only `maxSessions` needs the LRU order (as in #used); without it a rewrite keeps its slot,
    // where a delete + set would leave a dead slot in the Map on every write until it rehashes.
    if (this.#maxSessions !== undefined && digest !== this.#newest) {
      entries.delete(digest)
      this.#newest = digest
    }
    entries.set(digest, record)
    if (identity !== undefined) {
      let set = this.#byIdentity.get(identity)
      if (set === undefined) {
        set = new Set()
        this.#byIdentity.set(identity, set)
      }
      set.add(digest)
    }
    const max = this.#maxSessions
    if (max !== undefined) {
      while (entries.size > max) {
        const oldest = this.#oldest.next() as string
        this.#remove(oldest)
        if (this.#events.hasListeners) this.#events.emit({ type: 'evicted', digest: oldest })
      }
    }
  }

  #remove(digest: string): void {
    const record = this.#entries.get(digest)
    if (record === undefined) return
    this.#entries.delete(digest)
    if (digest === this.#newest) this.#newest = undefined
    this.#hot.delete(digest)
    // Only authenticated records are indexed; their identity is in the auth text (parsed once per text).
    if (!recordHasAuth(record)) return
    const identity = parseAuth(recordAuthJson(record))?.identity
    const set = identity === undefined ? undefined : this.#byIdentity.get(identity)
    if (set !== undefined && identity !== undefined) {
      set.delete(digest)
      if (set.size === 0) this.#byIdentity.delete(identity)
    }
  }

  #dumpSync(): SessionDump {
    const sessions = []
    const now = this.#now()
    for (const [digest, record] of this.#entries) {
      if (!recordExpired(record, now)) sessions.push(toDumpEntry(digest, unpackRecord(record)))
    }
    return { format: DUMP_FORMAT, version: DUMP_VERSION, sessions }
  }

  #restoreSync(dump: unknown): void {
    // parseDump validates the whole dump and every record is packed before anything is stored
    // (all or nothing).
    const records = parseDump(dump, this.#now())
    const packed = records.map((restored) => packRecord(restored.parts))
    records.forEach((restored, index) => {
      this.#remove(restored.digest)
      this.#tombstones.delete(restored.digest)
      this.#insert(restored.digest, packed[index]!, restored.indexed ? restored.identity : undefined)
    })
  }

  #restoreFile(file: string): void {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new SessionError('INVALID_DUMP', `cannot read ${file}`, { cause: error })
    }
    let dump: unknown
    try {
      dump = JSON.parse(text)
    } catch (error) {
      throw new SessionError('INVALID_DUMP', `${file} is not JSON`, { cause: error })
    }
    this.#restoreSync(dump)
  }

  #writeFileSync(file: string): void {
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(this.#dumpSync()))
    renameSync(temporary, file)
  }
}

function info(digest: string, record: string): SessionInfo {
  const auth = recordHasAuth(record) ? parseAuth(recordAuthJson(record)) : null
  return { digest, meta: recordMeta(record), identity: auth?.identity ?? 'anonymous', tags: auth?.tags ?? [] }
}
