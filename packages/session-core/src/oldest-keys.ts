/**
 * The oldest key of a `Map` or `Set` (insertion order), for the caches and the store that evict
 * first-in first-out, through one iterator kept across calls. `keys().next()` on a fresh iterator
 * walks every deleted slot at the front of the table, which under FIFO eviction is everything
 * evicted since the table last rehashed: O(n) per eviction (~15 µs per insert into a full
 * 50,000-session store). A kept iterator walks each deleted slot once.
 *
 * The caller must delete each key it is given (or delete it and insert it again, which moves it
 * to the young end) before asking again: the iterator then never has a live key behind it.
 */
export class OldestKeys<K> {
  readonly #source: { keys(): IterableIterator<K> }
  #cursor: Iterator<K>

  constructor(source: { keys(): IterableIterator<K> }) {
    this.#source = source
    this.#cursor = source.keys()
  }

  /** The oldest key, or undefined when the collection is empty. */
  next(): K | undefined {
    let step = this.#cursor.next()
    if (step.done) {
      // A finished iterator stays finished: start over from the table as it is now.
      this.#cursor = this.#source.keys()
      step = this.#cursor.next()
    }
    return step.done ? undefined : step.value
  }
}
