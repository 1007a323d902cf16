import { OldestKeys } from './oldest-keys.js'

/**
 * A bounded memo of a pure function's recent results, for the per-request hashes: a user's
 * requests repeat the same cookie and id, so the last few thousand inputs cover the active
 * sessions. When full, the oldest entry goes (insertion order, no bookkeeping per hit).
 */
export class RecentResults<V> {
  readonly #entries = new Map<string, V>()
  readonly #oldest = new OldestKeys(this.#entries)
  readonly #limit: number

  constructor(limit: number) {
    this.#limit = limit
  }

  /** The value remembered for `key`, if it is still among the recent ones. */
  get(key: string): V | undefined {
    return this.#entries.get(key)
  }

  /** Remembers `value` for `key`, forgetting the oldest entry when full. */
  set(key: string, value: V): void {
    const entries = this.#entries
    if (entries.size >= this.#limit && !entries.has(key)) entries.delete(this.#oldest.next() as string)
    entries.set(key, value)
  }
}

/**
 * A copy of `text` that keeps no larger string alive. Keys kept for long must not be slices of a
 * request's header: V8 keeps a slice's whole parent string. The slice of a joined string is cut
 * from a flattened copy of it, which shares nothing with `text`'s parent.
 */
export function ownCopy(text: string): string {
  return ` ${text}`.slice(1)
}
