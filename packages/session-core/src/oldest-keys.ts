/**
 * The oldest key of a `Map` or `Set` (insertion order), for the caches and the store that evict
 * first-in first-out, through one iterator kept across calls. `keys().next()` on a fresh iterator
 * walks every deleted slot at the front of the table, which under FIFO eviction is everything
 * evicted since the table last rehashed: O(n) per eviction (~15 µs per insert into a full
 * 50,000-session store). A kept iterator walks each deleted slot once.
 *
 * The caller must delete each key it is given (or delete it and insert it again, which moves it
 * to the young end) before asking again: the iterator then never has a live key behind it.
 *
 * The iterator is made at the first call, not before: a live iterator that does not move keeps
 * every table its collection grew out of (V8 links an outgrown table to its successor for the
 * iterators still on it), which for a store filling up to its bound was ~35 B per session.
 * {@link OldestKeys.release} drops it when evictions pause.
 */
export class OldestKeys<K> {
  readonly #source: { keys(): IterableIterator<K> }
  #cursor: Iterator<K> | undefined

  constructor(source: { keys(): IterableIterator<K> }) {
    this.#source = source
  }

  /** The oldest key, or undefined when the collection is empty. */
  next(): K | undefined {
    let step = this.#cursor?.next()
    if (step === undefined || step.done) {
      // A finished iterator stays finished: start over from the table as it is now.
      this.#cursor = this.#source.keys()
      step = this.#cursor.next()
    }
    return step.done ? undefined : step.value
  }

  /** Drops the iterator (the next call makes a new one), so it keeps no outgrown table alive. */
  release(): void {
    this.#cursor = undefined
  }
}
