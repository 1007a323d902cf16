import {
  type AuthInfo,
  digestId,
  encodeParts,
  encodeRecord,
  isWellFormedId,
  metaExpired,
  mintSessionId,
  parseDump,
  type RecordParts,
  readRecord,
  replayChanges,
  Session,
  type SessionDump,
  SessionError,
  type SessionInfo,
  type SessionMeta,
  type SessionStore,
  sessionFromParts,
  toDumpEntry,
} from '@satchel/session-core'
import { withCommandTimeout } from './command-timeout.js'
import { createKeyLayout, type KeyLayout } from './key-layout.js'
import {
  DELETE_SCRIPT,
  INDEX_ADD_SCRIPT,
  type LuaScript,
  PUT_SCRIPT,
  SAVE_SCRIPT,
  SaveResult,
  TOMBSTONE,
  TOUCH_SCRIPT,
} from './lua-scripts.js'
import { frameRecord, lastAccessOf, latestPossibleEnd, sessionEnd, unframeRecord } from './record-value.js'
import {
  adaptClient,
  type RedisArgument,
  type RedisCommands,
  type RedisSessionClient,
} from './redis-client-adapter.js'

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /**
   * A connected node-redis client (`createClient()`, v5 or v6) or cluster (`createCluster()`), or
   * an ioredis (v5 or v6) `Redis` or `Cluster`. The store never connects or closes it. Give it an `error` listener and a reconnect strategy
   * that never gives up (see the README), so the store recovers by itself when Redis is back.
   */
  client: RedisSessionClient
  /** Prefix of every key; may not contain `{` or `}`. @default 'satchel:' */
  prefix?: string
  /** Every Redis call fails with `SessionError('STORE_UNAVAILABLE')` after this many ms. @default 2000 */
  commandTimeout?: number
  /** Idle timeout in seconds of sessions made by {@link RedisSessionStore.create}. @default 3600 */
  defaultTtl?: number
  /** Absolute lifetime in seconds of sessions made by {@link RedisSessionStore.create}. @default null */
  defaultAbsoluteTtl?: number | null
  /** Milliseconds a record outlives its session's end before Redis drops it. @default 5000 */
  expiryGrace?: number
  /** Lifetime of a delete's tombstone in seconds. @default 60 */
  tombstoneTtl?: number
  /** Versioned write attempts of one save before `SessionError('CONFLICT')`. @default 100 */
  maxSaveAttempts?: number
  /**
   * Clock in epoch ms for every expiry decision (Redis' own key expiry stays as a backstop).
   * @default Date.now
   */
  now?: () => number
}

/** Counters of one store since it was made (for tests and monitoring). */
export interface RedisSessionStoreStats {
  /** Saves that wrote a record. */
  saves: number
  /** Versioned writes that found a newer version (each is followed by a reload and replay). */
  conflicts: number
  /** Saves that succeeded only after replaying their changes onto a newer version. */
  replays: number
}

/** SCAN batch size. */
const SCAN_COUNT = '500'

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new SessionError('INVALID_OPTIONS', `RedisSessionStore: ${name} must be a positive number.`)
  }
  return value
}

function identityOf(session: Session): string | undefined {
  return session.auth === null ? undefined : session.auth.identity
}

function infoOf(digest: string, session: Session): SessionInfo {
  return { digest, meta: { ...session.meta }, identity: session.avatar.identity, tags: session.avatar.tags }
}

function isTombstone(value: unknown): boolean {
  return (
    (Buffer.isBuffer(value) || typeof value === 'string') && value.length === 1 && String(value) === TOMBSTONE
  )
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A {@link SessionStore} on Redis (7.0 or later) or Redis Cluster, through node-redis v5/v6 or
 * ioredis v5/v6.
 *
 * - Records live at `<prefix>s:{<digest>}` as `<version>:<encoded record>` and expire at the
 *   session's end (the earlier of idle and absolute expiry) plus `expiryGrace`.
 * - A read is one `MGET` of the record and its last-access key (same slot), no write.
 * - A touch (one `EVALSHA`) moves the record's expiry and writes the last-access key; it never
 *   rewrites the record.
 * - A new session is one `SET … NX GET`. A later save is one `EVALSHA` that applies only on the
 *   version the session was loaded at; on a conflict the store reloads, replays the session's
 *   changes and retries.
 * - `delete` replaces the record with a tombstone, atomically, so a late save cannot resurrect it.
 * - The identity index (`<prefix>i:{<identity digest>}`) lives in another slot, so it is written
 *   in separate steps ordered to be safe: added **before** the record is inserted (a crash in
 *   between leaves a stale entry, which readers drop, never a session missing from "log out
 *   everywhere"), removed **after** the record is deleted.
 *
 * @example
 * ```ts
 * const client = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect()
 * const store = new RedisSessionStore({ client, prefix: 'myapp:sess:' })
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RedisCommands
  readonly #keys: KeyLayout
  readonly #timeout: number
  readonly #ttl: number
  readonly #absoluteTtl: number | null
  readonly #grace: number
  readonly #tombstoneMs: number
  readonly #maxAttempts: number
  readonly #now: () => number
  readonly #stats: RedisSessionStoreStats = { saves: 0, conflicts: 0, replays: 0 }
  #closed = false

  constructor(options: RedisSessionStoreOptions) {
    if (typeof options?.client !== 'object' || options.client === null) {
      throw new SessionError(
        'INVALID_OPTIONS',
        'RedisSessionStore needs a connected node-redis or ioredis `client`.',
      )
    }
    this.#redis = adaptClient(options.client)
    this.#keys = createKeyLayout(options.prefix ?? 'satchel:')
    this.#timeout = positive('commandTimeout', options.commandTimeout ?? 2000)
    this.#ttl = positive('defaultTtl', options.defaultTtl ?? 3600)
    const absolute = options.defaultAbsoluteTtl ?? null
    this.#absoluteTtl = absolute === null ? null : positive('defaultAbsoluteTtl', absolute)
    this.#grace = options.expiryGrace ?? 5000
    if (!Number.isInteger(this.#grace) || this.#grace < 0) {
      throw new SessionError('INVALID_OPTIONS', 'RedisSessionStore: expiryGrace must be a whole number ≥ 0.')
    }
    this.#tombstoneMs = Math.round(positive('tombstoneTtl', options.tombstoneTtl ?? 60) * 1000)
    this.#maxAttempts = positive('maxSaveAttempts', options.maxSaveAttempts ?? 100, true)
    this.#now = options.now ?? Date.now
  }

  /** Save, conflict and replay counters since the store was made. */
  get stats(): Readonly<RedisSessionStoreStats> {
    return { ...this.#stats }
  }

  /** The key prefix. */
  get prefix(): string {
    return this.#keys.prefix
  }

  /** Mints an id, stores a new session for `auth` (`defaultTtl`, `defaultAbsoluteTtl`) and returns it. */
  async create(auth?: AuthInfo | null): Promise<Session> {
    const session = new Session(mintSessionId(), auth ?? null, this.#ttl, {
      absoluteTtl: this.#absoluteTtl,
      now: this.#now(),
    })
    await this.save(session)
    return session
  }

  /**
   * The session for a raw id (one `MGET`, no write); undefined when missing, deleted or expired
   * (an expired record is deleted). `lastAccess` includes touches.
   */
  async get(id: string): Promise<Session | undefined> {
    this.#open()
    if (!isWellFormedId(id)) return undefined
    const digest = digestId(id)
    const session = await this.#read(digest, id)
    if (session === undefined) return undefined
    if (session.isExpired(this.#now())) {
      await this.#deleteDigest(digest, session)
      return undefined
    }
    return session
  }

  /**
   * Inserts a new session, or writes its changes on the version it was loaded at; when another
   * writer won the race, reloads, replays the changes and retries (`maxSaveAttempts`, then
   * `SessionError('CONFLICT')`). A deleted or ended session is marked destroyed, not stored.
   */
  async save(session: Session): Promise<void> {
    this.#open()
    if (session.isDestroyed) return
    const digest = digestId(session.id)
    if (session.isNew) {
      const value = this.#encode(session, 1)
      const identity = identityOf(session)
      if (identity !== undefined) await this.#indexAdd(identity, digest, session.meta)
      await this.#settle(session, digest, await this.#insert(digest, value), 1)
      return
    }
    // Over by its own clock: never written again (Redis keeps the record for the grace only).
    if (session.isExpired(this.#now())) return this.#settle(session, digest, SaveResult.missing, 0)
    let result = await this.#write(digest, session.version, this.#encode(session, session.version + 1))
    for (let attempt = 1; result === SaveResult.conflict && attempt < this.#maxAttempts; attempt++) {
      this.#stats.conflicts++
      await sleep(Math.random() * Math.min(2 ** attempt, 32))
      const latest = await this.#read(digest, session.id)
      if (latest?.isExpired(this.#now())) return this.#settle(session, digest, SaveResult.missing, 0)
      // Gone meanwhile (deleted, expired, evicted): the write below reports it and stores nothing.
      const base = latest ?? session
      if (latest !== undefined) replayChanges(session, latest)
      result = await this.#write(digest, base.version, this.#encode(base, base.version + 1))
      if (result === SaveResult.saved && latest !== undefined) {
        this.#stats.saves++
        this.#stats.replays++
        // The session itself still lacks the other writer's changes: keep its old version so a
        // later save of it replays again instead of overwriting.
        session.markSaved(session.version)
        return
      }
    }
    await this.#settle(session, digest, result, session.version + 1)
  }

  /**
   * Persists `session.meta.lastAccess`: moves the record's expiry (never back) and stores the
   * lastAccess beside the record, which is not rewritten (one `EVALSHA`).
   */
  async touch(session: Session): Promise<void> {
    this.#open()
    if (session.isNew || session.isDestroyed) return
    const digest = digestId(session.id)
    const expireAt = sessionEnd(session.meta) + this.#grace
    await this.#run(
      TOUCH_SCRIPT,
      [this.#keys.record(digest), this.#keys.lastAccess(digest)],
      [String(expireAt), String(session.meta.lastAccess)],
    )
  }

  /** Replaces a session with a tombstone (`tombstoneTtl`), then drops it from its identity index. */
  async delete(id: string): Promise<void> {
    this.#open()
    if (typeof id !== 'string' || id === '') return
    await this.#deleteDigest(digestId(id))
  }

  /** The live sessions of an authenticated identity; stale index entries are dropped on the way. */
  async listByIdentity(identity: string): Promise<SessionInfo[]> {
    this.#open()
    const index = this.#keys.identityIndex(identity)
    const digests = await this.#indexMembers(index)
    const found = await Promise.all(digests.map((digest) => this.#read(digest, '')))
    const now = this.#now()
    const infos: SessionInfo[] = []
    const stale: string[] = []
    found.forEach((session, i) => {
      const digest = digests[i]!
      if (session === undefined || session.isExpired(now) || identityOf(session) !== identity)
        stale.push(digest)
      else infos.push(infoOf(digest, session))
    })
    if (stale.length > 0) await this.#indexRemove(index, stale)
    return infos
  }

  /** Deletes every session of an identity except the raw id `except`; returns how many were live. */
  async deleteByIdentity(identity: string, options?: { except?: string }): Promise<number> {
    this.#open()
    const index = this.#keys.identityIndex(identity)
    const keep = options?.except === undefined ? undefined : digestId(options.except)
    const digests = (await this.#indexMembers(index)).filter((digest) => digest !== keep)
    const now = this.#now()
    const removed = await Promise.all(
      digests.map(async (digest) => {
        const old = await this.#deleteRecord(digest)
        return old !== undefined && identityOf(old) === identity && !old.isExpired(now)
      }),
    )
    if (digests.length > 0) await this.#indexRemove(index, digests)
    return removed.filter(Boolean).length
  }

  /** The number of live sessions (SCAN over the prefix, on every master of a cluster). */
  async count(): Promise<number> {
    let total = 0
    for await (const _ of this.entries()) total++
    return total
  }

  /** Every live session as an info (SCAN over the prefix, on every master of a cluster). */
  async *entries(): AsyncIterable<SessionInfo> {
    for await (const [digest, parts] of this.#live()) yield infoOf(digest, sessionFromParts(parts, ''))
  }

  /** Deletes every record, tombstone, last-access key and identity index under the prefix (SCAN + UNLINK). */
  async clear(): Promise<void> {
    this.#open()
    for await (const { keys, node } of this.#scan(this.#keys.everyKeyPattern)) {
      await this.#call('clear', (signal) => Promise.all(keys.map((key) => node(['UNLINK', key], signal))))
    }
  }

  /** Every live session in the shared dump format. */
  async dump(): Promise<SessionDump> {
    const sessions: SessionDump['sessions'] = []
    for await (const [digest, parts] of this.#live()) sessions.push(toDumpEntry(digest, parts))
    return { format: 'satchel-sessions', version: 1, sessions }
  }

  /**
   * Writes the sessions of a dump (version 1, tombstones lifted), after validating all of it;
   * expired entries are dropped. @throws SessionError `INVALID_DUMP` before writing anything.
   */
  async restore(dump: SessionDump): Promise<void> {
    this.#open()
    for (const entry of parseDump(dump, this.#now())) {
      const value = frameRecord(1, encodeParts(entry.parts))
      if (entry.indexed) await this.#indexAdd(entry.identity, entry.digest, entry.parts.meta)
      const expireAt = String(sessionEnd(entry.parts.meta) + this.#grace)
      await this.#run(
        PUT_SCRIPT,
        [this.#keys.record(entry.digest), this.#keys.lastAccess(entry.digest)],
        [value, expireAt],
      )
    }
  }

  /** Marks the store closed (later calls throw `INVALID_STATE`); the client stays open. */
  async close(): Promise<void> {
    this.#closed = true
  }

  #open(): void {
    if (this.#closed) throw new SessionError('INVALID_STATE', 'This RedisSessionStore is closed.')
  }

  #call<T>(what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withCommandTimeout(what, this.#timeout, operation)
  }

  #run(script: LuaScript, keys: string[], args: RedisArgument[]): Promise<unknown> {
    return this.#call(`the ${script.name} script`, (signal) => this.#redis.run(script, keys, args, signal))
  }

  /** Reads and decodes a record with the lastAccess of its latest touch. */
  async #read(digest: string, id: string): Promise<Session | undefined> {
    const parts = await this.#readParts(digest)
    return parts === undefined ? undefined : sessionFromParts(parts, id)
  }

  async #readParts(digest: string): Promise<RecordParts | undefined> {
    const key = this.#keys.record(digest)
    const reply = await this.#call('MGET', (signal) =>
      this.#redis.send(key, ['MGET', key, this.#keys.lastAccess(digest)], signal),
    )
    return this.#partsOfReply(reply)
  }

  /** Record parts from a `[value, lastAccess]` reply (nil, non-array or tombstone → undefined). */
  #partsOfReply(reply: unknown): RecordParts | undefined {
    if (!Array.isArray(reply)) return undefined
    const [value, touched] = reply as [unknown, unknown]
    if (value === null || value === undefined || isTombstone(value)) return undefined
    const framed = Buffer.isBuffer(value) ? unframeRecord(value) : undefined
    if (framed === undefined)
      throw new SessionError('CORRUPT_RECORD', 'A stored session has no version header.')
    const parts = readRecord(framed.record)
    parts.meta.lastAccess = lastAccessOf(parts.meta, Buffer.isBuffer(touched) ? touched : null)
    return parts
  }

  /** The stored value of `session` at `version` and its expiry (throws before any Redis call). */
  #encode(session: Session, version: number): { value: Buffer; expireAt: number } {
    return {
      value: frameRecord(version, encodeRecord(session, version)),
      expireAt: sessionEnd(session.meta) + this.#grace,
    }
  }

  #write(digest: string, expected: number, encoded: { value: Buffer; expireAt: number }): Promise<number> {
    return this.#run(
      SAVE_SCRIPT,
      [this.#keys.record(digest)],
      [String(expected), encoded.value, String(encoded.expireAt)],
    ) as Promise<number>
  }

  /** Writes a new record unless its key holds anything (one `SET … NX GET`, no script). */
  async #insert(digest: string, encoded: { value: Buffer; expireAt: number }): Promise<number> {
    const key = this.#keys.record(digest)
    const old = await this.#call('SET NX', (signal) =>
      this.#redis.send(
        key,
        ['SET', key, encoded.value, 'NX', 'GET', 'PXAT', String(encoded.expireAt)],
        signal,
      ),
    )
    if (old === null || old === undefined) return SaveResult.saved
    return isTombstone(old) ? SaveResult.tombstoned : SaveResult.conflict
  }

  /** Applies the outcome of a final write attempt to the session. */
  async #settle(session: Session, digest: string, result: number, version: number): Promise<void> {
    if (result === SaveResult.saved) {
      this.#stats.saves++
      session.markSaved(version)
    } else if (result === SaveResult.tombstoned || result === SaveResult.missing) {
      session.markDestroyed()
    } else {
      throw new SessionError(
        'CONFLICT',
        `Saving session ${digest.slice(0, 8)}… kept losing to concurrent writers (${this.#maxAttempts} attempts).`,
      )
    }
  }

  /** Deletes a record with a tombstone, then drops it from its identity index. */
  async #deleteDigest(digest: string, known?: Session): Promise<void> {
    const old = (await this.#deleteRecord(digest)) ?? known
    const identity = old === undefined ? undefined : identityOf(old)
    if (identity !== undefined) await this.#indexRemove(this.#keys.identityIndex(identity), [digest])
  }

  /** Deletes a record and leaves a tombstone; returns the deleted session, if there was one. */
  async #deleteRecord(digest: string): Promise<Session | undefined> {
    const reply = await this.#run(
      DELETE_SCRIPT,
      [this.#keys.record(digest), this.#keys.lastAccess(digest)],
      [String(this.#tombstoneMs)],
    )
    try {
      const parts = this.#partsOfReply(reply)
      return parts === undefined ? undefined : sessionFromParts(parts, '')
    } catch {
      return undefined // a corrupt record is gone all the same
    }
  }

  async #indexAdd(identity: string, digest: string, meta: Readonly<SessionMeta>): Promise<void> {
    const end = latestPossibleEnd(meta)
    const score = end === Number.POSITIVE_INFINITY ? '+inf' : String(end + this.#grace)
    await this.#run(
      INDEX_ADD_SCRIPT,
      [this.#keys.identityIndex(identity)],
      [digest, score, String(this.#now())],
    )
  }

  async #indexMembers(index: string): Promise<string[]> {
    const members = await this.#call('the identity index', (signal) =>
      this.#redis.send(index, ['ZRANGE', index, '0', '-1'], signal),
    )
    return Array.isArray(members) ? members.map((member) => String(member)) : []
  }

  async #indexRemove(index: string, digests: string[]): Promise<void> {
    await this.#call('the identity index', (signal) =>
      this.#redis.send(index, ['ZREM', index, ...digests], signal),
    )
  }

  /** Every record key under the prefix, node by node (each master of a cluster). */
  async *#scan(pattern: string) {
    const nodes = await this.#call('the node list', (signal) => this.#redis.nodes(signal))
    for (const node of nodes) {
      let cursor = '0'
      do {
        const reply = (await this.#call('SCAN', (signal) =>
          node(['SCAN', cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT], signal),
        )) as [Buffer | string, Array<Buffer | string>]
        cursor = String(reply[0])
        const keys = reply[1].map((key) => String(key))
        if (keys.length > 0) yield { keys, node }
      } while (cursor !== '0')
    }
  }

  /** Every live session with its digest, as record parts. */
  async *#live(): AsyncGenerator<[string, RecordParts]> {
    this.#open()
    const now = this.#now()
    for await (const { keys } of this.#scan(this.#keys.recordPattern)) {
      const digests = keys.map((key) => this.#keys.digestOfRecord(key)).filter((d) => d !== undefined)
      const found = await Promise.all(digests.map((digest) => this.#readParts(digest)))
      for (let i = 0; i < digests.length; i++) {
        const parts = found[i]
        if (parts !== undefined && !metaExpired(parts.meta, now)) yield [digests[i]!, parts]
      }
    }
  }
}
