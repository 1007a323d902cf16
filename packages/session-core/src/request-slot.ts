import { Readable } from 'node:stream'
import type { RequestSession } from './session-manager.js'

/**
 * @internal What satchel keeps per request (or per Koa context): its handle and, for a response
 * held by `commitBeforeHead()`, that response's state. One slot, not one property per helper,
 * and for a Node request not a property of the request at all (see {@link carrierOf}).
 */
export interface RequestSlot {
  handle: RequestSession | undefined
  held: unknown
}

/** The key of a {@link RequestSlot}. */
const SLOT = Symbol('satchel.request')

type SlotHolder = { [SLOT]?: RequestSlot }

/**
 * Whether a Node stream's `_readableState` takes a property. It is checked once, on a stream of
 * this Node, so a future Node that seals or drops it sends every request to the fallback.
 */
const streamStateExtensible = (() => {
  const state: unknown = (new Readable() as unknown as { _readableState?: unknown })._readableState
  return typeof state === 'object' && state !== null && Object.isExtensible(state)
})()

/**
 * Where the slot of `target` lives. For a Node request (any readable stream): its
 * `_readableState`, an object made with the request, of a hidden class shared by all requests
 * and never seen by the app. Not the request itself: Express swaps each request's prototype,
 * after which V8 builds a new hidden class for every property added to it, ~10,000
 * instructions and ~1.3 KB per request (bench/README.md, "Why the rest is hard to move"). Not
 * a `WeakMap` beside the request: minor garbage collections keep a `WeakMap`'s values alive, so
 * every request's session was promoted to the old generation. Anything else (a Koa context, a
 * test's plain object) carries the slot itself.
 */
function carrierOf(target: object): SlotHolder {
  if (streamStateExtensible) {
    const state = (target as { _readableState?: unknown })._readableState
    if (typeof state === 'object' && state !== null) return state as SlotHolder
  }
  return target as SlotHolder
}

/** @internal The slot of `target` (for a non-stream: or up its prototype chain), if any. */
export function slotOf(target: object): RequestSlot | undefined {
  return carrierOf(target)[SLOT]
}

/**
 * @internal The slot of `target` itself, made on first use (a slot inherited from up the chain
 * belongs to another object). The common first call finds none and makes it.
 */
export function ownSlot(target: object): RequestSlot {
  const carrier = carrierOf(target)
  const found = carrier[SLOT]
  if (found !== undefined && Object.hasOwn(carrier, SLOT)) return found
  const slot: RequestSlot = { handle: undefined, held: undefined }
  carrier[SLOT] = slot
  return slot
}
