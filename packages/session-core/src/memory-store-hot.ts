import { type AuthInfo, parseAuth } from './auth-snapshot.js'
import { decodeTemplate } from './bag-codec.js'
import { metaDeadline, recordMeta } from './memory-store-record.js'
import { OldestKeys } from './oldest-keys.js'
import type { RecordParts } from './record.js'
import type { SessionMeta, SessionTemplates } from './session.js'

/** What a read of a hot record takes from the cache instead of unpacking the record string. */
export interface HotRecord {
  /** The packed record the fields below were read from (a touch replaces it). */
  record: string
  /** Read only: sessions copy it. */
  meta: SessionMeta
  /** `now >= deadline` ⇔ expired (see `metaDeadline`). */
  deadline: number
  version: number
  auth: AuthInfo | null
  data: Uint8Array | null
  avatarData: Uint8Array | null
  /** Decoded immutable Bags, deep-copied by each read instead of decoding. */
  templates: SessionTemplates
  /** Read since it last reached the young end of the order (the second chance of CLOCK eviction). */
  used: boolean
}

/**
 * The memory store's cache of decoded records read more than once, bounded to `limit` records
 * (the least recently read dropped first, approximated by CLOCK). It lives beside the store's table, not in it, so an idle
 * session costs nothing here: the "read once" marks are a bounded set too. A hot read takes
 * everything from here, so it neither unpacks the record nor decodes a Bag.
 */
export class HotRecords {
  readonly #limit: number
  /** Digests read once since they were last written, oldest first. */
  readonly #seen = new Set<string>()
  readonly #oldestSeen = new OldestKeys(this.#seen)
  /** Hot records, oldest first; `used` marks the ones read since (CLOCK). */
  readonly #hot = new Map<string, HotRecord>()
  /** The CLOCK hand: the oldest hot record (see oldest-keys.ts). */
  readonly #hand = new OldestKeys(this.#hot)

  constructor(limit: number) {
    this.#limit = limit
  }

  /**
   * The cached record of `digest`, now the most recently read, brought up to date with its
   * current packed `record` (only a touch changes a record without dropping it from here, and a
   * touch changes only meta); undefined when not hot.
   */
  get(digest: string, record: string): HotRecord | undefined {
    const hot = this.#hot.get(digest)
    if (hot === undefined) return undefined
    // A flag instead of moving the entry to the young end (a Map delete and set per read): the
    // eviction gives flagged entries a second chance, which approximates least-recently-read.
    hot.used = true
    if (hot.record !== record) {
      hot.record = record
      hot.meta = recordMeta(record)
      hot.deadline = metaDeadline(hot.meta)
    }
    return hot
  }

  /**
   * Called for a read that missed the cache, with the record it unpacked: the first read of a
   * record only marks it, the second decodes its Bags into templates and caches them. Records
   * without Bags have nothing worth caching.
   */
  templatesFor(digest: string, record: string, parts: RecordParts): SessionTemplates | undefined {
    const { data, avatarData } = parts
    if (data === null && avatarData === null) return undefined
    const seen = this.#seen
    if (!seen.delete(digest)) {
      seen.add(digest)
      if (seen.size > this.#limit) seen.delete(this.#oldestSeen.next() as string)
      return undefined
    }
    const templates: SessionTemplates = {
      data: data === null ? undefined : decodeTemplate(data),
      avatar: avatarData === null ? undefined : decodeTemplate(avatarData),
    }
    // Copies of their own: unpacked bytes may be views into a shared slab.
    this.#add(
      digest,
      record,
      parts,
      parseAuth(parts.authJson),
      data?.slice() ?? null,
      avatarData?.slice() ?? null,
      templates,
    )
    return templates
  }

  /** Whether `digest` was read since it was last written (marked or hot). */
  isWarm(digest: string): boolean {
    return this.#hot.has(digest) || this.#seen.has(digest)
  }

  /**
   * Makes a record hot right after the store wrote it, with the templates the writer took from
   * its session: a session read and written by every request (a counter, a cart) then never
   * decodes its Bags. `parts` are the written parts (their bytes are the writer's encoded bytes,
   * which nobody mutates). A record already hot keeps its entry, marked as read (CLOCK); a record
   * without Bags is dropped, having nothing worth caching.
   */
  keep(
    digest: string,
    record: string,
    parts: RecordParts,
    auth: AuthInfo | null,
    templates: SessionTemplates,
  ): void {
    if (parts.data === null && parts.avatarData === null) {
      this.delete(digest)
      return
    }
    const hot = this.#hot.get(digest)
    if (hot === undefined) {
      this.#seen.delete(digest)
      this.#add(digest, record, parts, auth, parts.data, parts.avatarData, templates)
      return
    }
    // Refreshed in place: no new entry, and no Map delete + set (a dead slot per write). The
    // written parts are nobody's to change, so their meta is shared, not copied.
    hot.record = record
    hot.meta = parts.meta
    hot.deadline = metaDeadline(parts.meta)
    hot.version = parts.version
    hot.auth = auth
    hot.data = parts.data
    hot.avatarData = parts.avatarData
    hot.templates = templates
    hot.used = true
  }

  /** Adds a record at the young end, making room first. */
  #add(
    digest: string,
    record: string,
    parts: RecordParts,
    auth: AuthInfo | null,
    data: Uint8Array | null,
    avatarData: Uint8Array | null,
    templates: SessionTemplates,
  ): void {
    const meta = { ...parts.meta }
    this.#makeRoom()
    this.#hot.set(digest, {
      record,
      meta,
      deadline: metaDeadline(meta),
      version: parts.version,
      auth,
      data,
      avatarData,
      templates,
      used: false,
    })
  }

  /**
   * Before a record is added at the limit: drops the oldest record not read since it was last
   * moved to the young end, moving read ones there with their flag cleared (CLOCK). Runs before
   * the insert, so the record being added is never the one dropped.
   */
  #makeRoom(): void {
    const hot = this.#hot
    if (hot.size < this.#limit) return
    for (let digest = this.#hand.next(); digest !== undefined; digest = this.#hand.next()) {
      const record = hot.get(digest)!
      hot.delete(digest)
      if (!record.used) return
      record.used = false
      hot.set(digest, record)
    }
  }

  /** Forgets `digest` (its record was rewritten or removed). */
  delete(digest: string): void {
    this.#hot.delete(digest)
    this.#seen.delete(digest)
  }

  clear(): void {
    this.#hot.clear()
    this.#seen.clear()
    this.#hand.release()
    this.#oldestSeen.release()
  }
}
