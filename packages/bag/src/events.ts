import type { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'

/** The kinds of change events a Bag emits. */
export type BagEventType = 'ins' | 'del' | 'upd_value' | 'upd_value_attr' | 'upd_attrs'

/** One attribute change: previous and current value (null when absent). */
export interface AttrChange {
  /** Previous value, null when the attribute was added. */
  readonly old: unknown
  /** Current value, null when the attribute was removed. */
  readonly new: unknown
}

/** Attribute changes by name (only names whose value changed). */
export type AttrsDiff = Record<string, AttrChange>

/**
 * The payload of every change callback (SPEC §10.3). `pathlist` is relative to the Bag whose
 * subscriber receives it: for `ins`/`del` it stops at the container of the node, for updates it
 * includes the node's label.
 */
export interface BagEvent {
  /** What happened. */
  readonly event: BagEventType
  /** The node inserted, deleted or updated. */
  readonly node: BagNode
  /** Labels from the subscribed Bag down to the container (ins/del) or the node (updates). */
  readonly pathlist: readonly string[]
  /** Index where the node was inserted (`ins`) or that it had (`del`). */
  readonly index?: number
  /** Previous value (`upd_value`, `upd_value_attr`). */
  readonly oldValue?: unknown
  /** Attribute changes (`upd_value_attr`, `upd_attrs`); null when attributes did not change. */
  readonly attrsDiff?: AttrsDiff | null
  /** The `reason` passed by the mutating call. */
  readonly reason?: string
}

/** A change callback; returning exactly `false` stops bubbling (and later subscribers of the same Bag). */
export type BagEventCallback = (event: BagEvent) => unknown

/** The payload of a transaction callback. */
export interface BagTransactionEvent {
  /** The Bag whose `transaction()` block ended. */
  readonly bag: Bag
  /** The mutations captured in the block, in order, as event objects (pathlists relative to `bag`). */
  readonly mutations: readonly BagEvent[]
}

/** A transaction callback. */
export type BagTransactionCallback = (event: BagTransactionEvent) => unknown

/** Callbacks passed to `Bag.subscribe`. `any` is used for update/insert/delete not given explicitly. */
export interface BagSubscription {
  /** Called for `upd_value`, `upd_value_attr`, `upd_attrs`. */
  update?: BagEventCallback
  /** Called for `ins`. */
  insert?: BagEventCallback
  /** Called for `del`. */
  delete?: BagEventCallback
  /** Default for update/insert/delete. */
  any?: BagEventCallback
  /** Called once per `transaction()` block of this Bag that captured mutations. */
  transaction?: BagTransactionCallback
}

/** Categories to remove in `Bag.unsubscribe`; `any` removes update, insert and delete (not transaction). */
export interface BagUnsubscribeFlags {
  /** Remove the update callback. */
  update?: boolean
  /** Remove the insert callback. */
  insert?: boolean
  /** Remove the delete callback. */
  delete?: boolean
  /** Remove update, insert and delete. */
  any?: boolean
  /** Remove the transaction callback. */
  transaction?: boolean
}

/**
 * The one change observer of a Bag (see `Bag.observe`): unlike subscribers it cannot stop
 * bubbling or be stopped, and it also hears of the changes that fire no event.
 */
export interface BagObserver {
  /**
   * A change event reached the observed Bag: raised in its subtree (pathlist relative to it), or
   * delivered at the end of a `transaction()` block, also one that threw.
   */
  change(event: BagEvent): void
  /**
   * Its subtree changed without an event (`clear`, `fillFrom`, `update`, `delAttr`, `sort` on it
   * or a nested Bag, or `clearBackref`, after which events stop): take the Bag as a whole.
   */
  whole(): void
}

/** Internal: the callbacks registered under one id. */
export interface SubscriberEntry {
  update: BagEventCallback | undefined
  insert: BagEventCallback | undefined
  delete: BagEventCallback | undefined
  transaction: BagTransactionCallback | undefined
}
