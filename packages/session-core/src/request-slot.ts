import type { RequestSession } from './session-manager.js'

/**
 * @internal The one property satchel adds to a request (or a Koa context): its handle and, for a
 * response held by `commitBeforeHead()`, that response's state. One property, not one per
 * helper: Express swaps each request's prototype, which gives every request a hidden class of
 * its own, so each property added to it builds another hidden class; the response's property
 * cost ~15,000 instructions per read (bench/README.md, "Why the rest is hard to move"). A
 * `WeakMap` beside the request is worse: minor garbage collections keep a `WeakMap`'s values
 * alive, so every request's session was promoted to the old generation.
 */
export interface RequestSlot {
  handle: RequestSession | undefined
  held: unknown
}

/** @internal The key of a target's {@link RequestSlot}. */
export const SLOT = Symbol('satchel.request')

type SlotHolder = { [SLOT]?: RequestSlot }

/** @internal The slot of `target` (or up its prototype chain), if any. */
export function slotOf(target: object): RequestSlot | undefined {
  return (target as SlotHolder)[SLOT]
}

/**
 * @internal The slot of `target` itself, made on first use (a slot inherited from up the chain
 * belongs to another object). The common first call finds none and costs one property write.
 */
export function ownSlot(target: object): RequestSlot {
  const holder = target as SlotHolder
  const found = holder[SLOT]
  if (found !== undefined && Object.hasOwn(holder, SLOT)) return found
  const slot: RequestSlot = { handle: undefined, held: undefined }
  holder[SLOT] = slot
  return slot
}
