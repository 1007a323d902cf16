import { decodeTemplate } from './bag-codec.js'
import type { RecordParts } from './record.js'
import type { SessionTemplates } from './session.js'

/** What a read of a hot record takes from the cache instead of unpacking the record string. */
export interface HotRecord {
  authJson: string
  data: Uint8Array | null
  avatarData: Uint8Array | null
  /** Decoded immutable Bags, deep-copied by each read instead of decoding. */
  templates: SessionTemplates
}

/**
 * The memory store's cache of decoded records read more than once, bounded to `limit` records
 * (least recently read dropped first). It lives beside the store's table, not in it, so an idle
 * session costs nothing here: the "read once" marks are a bounded set too.
 */
export class HotRecords {
  readonly #limit: number
  /** Digests read once since they were last written, oldest first. */
  readonly #seen = new Set<string>()
  /** Hot records, least recently read first. */
  readonly #hot = new Map<string, HotRecord>()

  constructor(limit: number) {
    this.#limit = limit
  }

  /** The cached record of `digest`, now the most recently read; undefined when not hot. */
  get(digest: string): HotRecord | undefined {
    const hot = this.#hot.get(digest)
    if (hot !== undefined) {
      this.#hot.delete(digest)
      this.#hot.set(digest, hot)
    }
    return hot
  }

  /**
   * Called for a read that missed the cache: the first read of a record only marks it, the
   * second decodes its Bags into templates and caches them. Records without Bags have nothing
   * to cache.
   */
  templatesFor(digest: string, parts: RecordParts): SessionTemplates | undefined {
    const { data, avatarData } = parts
    if (data === null && avatarData === null) return undefined
    const seen = this.#seen
    if (!seen.delete(digest)) {
      seen.add(digest)
      if (seen.size > this.#limit) seen.delete(seen.values().next().value as string)
      return undefined
    }
    const templates: SessionTemplates = {
      data: data === null ? undefined : decodeTemplate(data),
      avatar: avatarData === null ? undefined : decodeTemplate(avatarData),
    }
    const hot = this.#hot
    hot.set(digest, { authJson: parts.authJson, data, avatarData, templates })
    if (hot.size > this.#limit) hot.delete(hot.keys().next().value as string)
    return templates
  }

  /** Forgets `digest` (its record was rewritten or removed). */
  delete(digest: string): void {
    this.#hot.delete(digest)
    this.#seen.delete(digest)
  }

  clear(): void {
    this.#hot.clear()
    this.#seen.clear()
  }
}
