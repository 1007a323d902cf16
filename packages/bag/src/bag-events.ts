import type { Bag } from './bag.js'
import type { BagEvent, BagTransactionEvent } from './events.js'

/** Hard bound on the parent chains walked (cycles end here). */
const HARD_DEPTH = 100_000

/** Number of `transaction()` blocks running (skips the capture walk when zero). */
let activeTransactions = 0

/** One running `transaction()` block's captured mutations. */
export interface TxFrame {
  /** Mutations captured so far, pathlists relative to the transaction's Bag. */
  mutations: BagEvent[]
}

/**
 * Delivers an event raised in `origin` (pathlist relative to it): into the nearest running
 * transaction of `origin` or an ancestor, else to the observers and subscribers of `origin` and
 * up the parent chain (pathlists prefixed). A callback returning `false` stops the subscribers;
 * observers up the chain still receive it.
 */
export function emitEvent(origin: Bag, evt: BagEvent): void {
  if (activeTransactions > 0) {
    let b: Bag | null = origin
    let pl = evt.pathlist
    for (let guard = 0; b !== null && guard < HARD_DEPTH; guard++) {
      const tx = b._tx
      if (tx !== null && tx.length > 0) {
        ;(tx[tx.length - 1] as TxFrame).mutations.push(pl === evt.pathlist ? evt : { ...evt, pathlist: pl })
        return
      }
      if (b._parentNode === null) break
      pl = [b._parentNode.label, ...pl]
      b = b._parent
    }
  }
  let bag: Bag | null = origin
  let e = evt
  let stopped = false
  for (let guard = 0; bag !== null && guard < HARD_DEPTH; guard++) {
    if (bag._observer !== null) bag._observer.change(e)
    const subs = bag._subs
    if (!stopped && subs !== null && subs.size > 0) {
      const kind = e.event
      for (const sub of subs.values()) {
        const cb = kind === 'ins' ? sub.insert : kind === 'del' ? sub.delete : sub.update
        if (cb !== undefined && cb(e) === false) {
          stopped = true
          break
        }
      }
    }
    const parent: Bag | null = bag._parent
    if (parent === null || bag._parentNode === null) return
    e = { ...e, pathlist: [bag._parentNode.label, ...e.pathlist] }
    bag = parent
  }
}

/** Tells the observers of `origin` and its ancestors that their subtree changed without an event. */
export function notifyWhole(origin: Bag): void {
  let bag: Bag | null = origin
  for (let guard = 0; bag !== null && guard < HARD_DEPTH; guard++) {
    if (bag._observer !== null) bag._observer.whole()
    bag = bag._parent
  }
}

/** `Bag.transaction` (SPEC §10.5, scoped to the Bag's own subtree). */
export function runTransaction<B extends Bag, T>(bag0: B, fn: (bag: B) => T): T {
  bag0.setBackref()
  bag0._tx ??= []
  const frame: TxFrame = { mutations: [] }
  bag0._tx.push(frame)
  activeTransactions++
  let result: T
  const end = (ok: boolean): void => {
    const tx = bag0._tx as TxFrame[]
    const i = tx.lastIndexOf(frame)
    if (i >= 0) tx.splice(i, 1)
    activeTransactions--
    if (frame.mutations.length > 0) deliverTransaction(bag0, frame.mutations, ok)
  }
  try {
    result = fn(bag0)
  } catch (error) {
    end(false)
    throw error
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    return Promise.resolve(result).then(
      (v) => {
        end(true)
        return v
      },
      (e: unknown) => {
        end(false)
        throw e
      },
    ) as T
  }
  end(true)
  return result
}

/**
 * Hands captured mutations to `origin`'s observer and transaction subscribers, then up the parent
 * chain (pathlists re-based) so that a subscriber on the root also sees transactions of nested
 * Bags; an ancestor inside its own transaction captures them instead. For a block that threw
 * (`ok` false) only observers receive them: its mutations stay applied, so whoever keeps the
 * Bag in step must hear of them.
 */
export function deliverTransaction(origin: Bag, mutations: BagEvent[], ok = true): void {
  let bag: Bag | null = origin
  let list = mutations
  for (let guard = 0; bag !== null && guard < HARD_DEPTH; guard++) {
    if (bag !== origin && bag._tx !== null && bag._tx.length > 0) {
      ;(bag._tx[bag._tx.length - 1] as TxFrame).mutations.push(...list)
      return
    }
    if (bag._observer !== null) for (const mutation of list) bag._observer.change(mutation)
    if (ok && bag._subs !== null) {
      const payload: BagTransactionEvent = { bag, mutations: list }
      for (const sub of [...bag._subs.values()]) sub.transaction?.(payload)
    }
    const parent: Bag | null = bag._parent
    const pnode = bag._parentNode
    if (parent === null || pnode === null) return
    const label = pnode.label
    list = list.map((m) => ({ ...m, pathlist: [label, ...m.pathlist] }))
    bag = parent
  }
}
