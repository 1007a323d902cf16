/**
 * A tiny typed event source: `subscribe()` returns the function that unsubscribes. Emitting
 * with no listener costs one size check; callers test {@link Subscribable.hasListeners} before
 * building an event object.
 */
export class Subscribable<TEvent> {
  readonly #listeners = new Set<(event: TEvent) => void>()

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: TEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Whether anybody listens. */
  get hasListeners(): boolean {
    return this.#listeners.size > 0
  }

  /** Calls every listener in subscription order. Listeners must not throw. */
  emit(event: TEvent): void {
    for (const listener of this.#listeners) listener(event)
  }
}
