import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import type { AuthInfo } from './auth-snapshot.js'
import { decodeTemplate } from './bag-codec.js'
import { DUMP_FORMAT, DUMP_VERSION, metaExpired, parseDump, toDumpEntry } from './dump-format.js'
import { hydrateParts, type RecordParts, recordParts, sessionFromParts } from './record.js'
import { replayChanges } from './replay.js'
import { Session, type SessionMeta, type SessionTemplates } from './session.js'
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

interface Entry {
  parts: RecordParts
  identity: string
  tags: readonly string[]
  /** Reads since the record was written (templates are built on the second). */
  reads?: number
  /** Decoded immutable Bags of a hot record, deep-copied by reads instead of decoding. */
  templates?: SessionTemplates | undefined
}

/** How many hot records keep decoded templates (least recently read dropped first). */
const HOT_LIMIT = 2048

function ownedBytes(bytes: Uint8Array | null): Uint8Array | null {
  return bytes === null || bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

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
 * digest, so it accepts and rejects exactly what a remote store does. Expired sessions are swept
 * on an unref'd timer; `maxSessions` bounds memory (least recently used first); `persistFile`
 * keeps sessions across restarts.
 *
 * @example
 * ```ts
 * const store = new MemorySessionStore({ maxSessions: 100_000, persistFile: './sessions.json' })
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>()
  readonly #tombstones = new Map<string, number>()
  readonly #byIdentity = new Map<string, Set<string>>()
  readonly #hot = new Map<string, Entry>()
  readonly #events = new Subscribable<StoreEvent>()
  readonly #now: () => number
  readonly #defaultTtl: number
  readonly #maxSessions: number | undefined
  readonly #tombstoneMs: number
  readonly #persistFile: string | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #sigterm: (() => void) | undefined

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
    if (!isWellFormedId(id)) return undefined
    const digest = digestId(id)
    const entry = this.#live(digest)
    if (entry === undefined) return undefined
    if (this.#maxSessions !== undefined) {
      this.#entries.delete(digest)
      this.#entries.set(digest, entry)
    }
    return hydrateParts(entry.parts, id, this.#templatesFor(digest, entry))
  }

  /** Decoded templates for a record read at least twice; bounded to the {@link HOT_LIMIT} most recent. */
  #templatesFor(digest: string, entry: Entry): SessionTemplates | undefined {
    const { data, avatarData } = entry.parts
    if (data === null && avatarData === null) return undefined
    const hot = this.#hot
    if (entry.templates !== undefined) {
      hot.delete(digest)
      hot.set(digest, entry)
      return entry.templates
    }
    entry.reads = (entry.reads ?? 0) + 1
    if (entry.reads < 2) return undefined
    entry.templates = {
      data: data === null ? undefined : decodeTemplate(data),
      avatar: avatarData === null ? undefined : decodeTemplate(avatarData),
    }
    hot.set(digest, entry)
    if (hot.size > HOT_LIMIT) {
      const [coldest, cold] = hot.entries().next().value as [string, Entry]
      hot.delete(coldest)
      cold.templates = undefined
      cold.reads = 0
    }
    return entry.templates
  }

  async save(session: Session): Promise<void> {
    const digest = digestId(session.id)
    if (this.#isTombstoned(digest)) {
      session.markDestroyed()
      return
    }
    if (session.isNew) {
      const parts = recordParts(session, 1)
      this.#put(digest, parts, session.auth)
      session.markSaved(1)
      return
    }
    const entry = this.#live(digest)
    if (entry === undefined) {
      // Deleted, expired or evicted meanwhile: a late save must not bring it back.
      session.markDestroyed()
      return
    }
    const stored = entry.parts.version
    if (stored === session.version) {
      this.#put(digest, recordParts(session, stored + 1), session.auth)
      session.markSaved(stored + 1)
      return
    }
    const latest = sessionFromParts(entry.parts, session.id)
    replayChanges(session, latest)
    this.#put(digest, recordParts(latest, stored + 1), latest.auth)
    session.markSaved(session.version)
  }

  async touch(session: Session): Promise<void> {
    const entry = this.#live(digestId(session.id))
    if (entry === undefined) return
    const meta = entry.parts.meta
    if (session.meta.lastAccess > meta.lastAccess) {
      entry.parts = { ...entry.parts, meta: { ...meta, lastAccess: session.meta.lastAccess } }
    }
  }

  async delete(id: string): Promise<void> {
    const digest = digestId(id)
    this.#remove(digest)
    this.#tombstone(digest)
  }

  async listByIdentity(identity: string): Promise<SessionInfo[]> {
    const digests = this.#byIdentity.get(identity)
    if (digests === undefined) return []
    const infos: SessionInfo[] = []
    for (const digest of [...digests]) {
      const entry = this.#live(digest)
      if (entry !== undefined) infos.push(info(digest, entry))
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
      const entry = this.#live(digest)
      if (entry !== undefined) yield info(digest, entry)
    }
  }

  async clear(): Promise<void> {
    this.#hot.clear()
    this.#entries.clear()
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

  /** Removes expired sessions and tombstones now (the timer calls this every `sweepInterval`). */
  sweep(): void {
    const now = this.#now()
    for (const [digest, entry] of this.#entries) {
      if (metaExpired(entry.parts.meta, now)) this.#expire(digest)
    }
    for (const [digest, until] of this.#tombstones) if (until <= now) this.#tombstones.delete(digest)
  }

  #live(digest: string): Entry | undefined {
    const entry = this.#entries.get(digest)
    if (entry === undefined) return undefined
    if (metaExpired(entry.parts.meta, this.#now())) {
      this.#expire(digest)
      return undefined
    }
    return entry
  }

  #expire(digest: string): void {
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

  #put(digest: string, parts: RecordParts, auth: AuthInfo | null): void {
    const owned: RecordParts = {
      ...parts,
      data: ownedBytes(parts.data),
      avatarData: ownedBytes(parts.avatarData),
    }
    this.#insert(
      digest,
      { parts: owned, identity: auth?.identity ?? 'anonymous', tags: auth?.tags ?? [] },
      auth !== null,
    )
  }

  #insert(digest: string, entry: Entry, indexed: boolean): void {
    this.#hot.delete(digest)
    const entries = this.#entries
    if (entries.has(digest)) entries.delete(digest)
    entries.set(digest, entry)
    if (indexed) {
      let set = this.#byIdentity.get(entry.identity)
      if (set === undefined) {
        set = new Set()
        this.#byIdentity.set(entry.identity, set)
      }
      set.add(digest)
    }
    const max = this.#maxSessions
    if (max !== undefined) {
      while (entries.size > max) {
        const oldest = entries.keys().next().value as string
        this.#remove(oldest)
        if (this.#events.hasListeners) this.#events.emit({ type: 'evicted', digest: oldest })
      }
    }
  }

  #remove(digest: string): void {
    const entry = this.#entries.get(digest)
    if (entry === undefined) return
    this.#entries.delete(digest)
    this.#hot.delete(digest)
    const set = this.#byIdentity.get(entry.identity)
    if (set !== undefined) {
      set.delete(digest)
      if (set.size === 0) this.#byIdentity.delete(entry.identity)
    }
  }

  #dumpSync(): SessionDump {
    const sessions = []
    const now = this.#now()
    for (const [digest, entry] of this.#entries) {
      if (!metaExpired(entry.parts.meta, now)) sessions.push(toDumpEntry(digest, entry.parts))
    }
    return { format: DUMP_FORMAT, version: DUMP_VERSION, sessions }
  }

  #restoreSync(dump: unknown): void {
    const records = parseDump(dump, this.#now())
    for (const restored of records) {
      this.#remove(restored.digest)
      this.#tombstones.delete(restored.digest)
      this.#insert(
        restored.digest,
        { parts: restored.parts, identity: restored.identity, tags: restored.tags },
        restored.indexed,
      )
    }
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

function info(digest: string, entry: Entry): SessionInfo {
  const meta: SessionMeta = { ...entry.parts.meta }
  return { digest, meta, identity: entry.identity, tags: entry.tags }
}
