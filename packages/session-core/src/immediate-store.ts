import type { Session } from './session.js'
import type { SessionStore } from './session-store.js'

/**
 * The request-path calls of a store that answers without waiting (the memory store): the same
 * work as its async methods, returned at once, so a request whose session lives in this process
 * costs no promise, no microtask and no held response.
 */
export interface ImmediateStore {
  /**
   * As `SessionStore.get`. `digest` is `digestId(id)` when the caller has it, which it gives only
   * for an id from a verified cookie (well-formed): the store then neither checks nor hashes it.
   */
  get(id: string, digest?: string): Session | undefined
  /** As `SessionStore.save`. */
  save(session: Session): void
  /** As `SessionStore.touch`. */
  touch(session: Session): void
  /** As `SessionStore.delete`. */
  delete(id: string): void
  /**
   * The async methods these calls stand for. They are used only while the store the manager holds
   * still has exactly these: a subclass override, a wrapper (a Proxy) or a test spy must see
   * every call.
   */
  readonly standsFor: Pick<SessionStore, 'get' | 'save' | 'touch' | 'delete'>
}

/** The property under which a store offers its {@link ImmediateStore}. */
export const IMMEDIATE: unique symbol = Symbol('satchel.immediateStore')

type MaybeImmediate = SessionStore & { readonly [IMMEDIATE]?: ImmediateStore }

/** The immediate calls of `store`, when it offers them and its methods are still the ones they stand for. */
export function immediateOf(store: SessionStore): ImmediateStore | undefined {
  const immediate = (store as MaybeImmediate)[IMMEDIATE]
  if (immediate === undefined) return undefined
  const own = immediate.standsFor
  return store.get === own.get &&
    store.save === own.save &&
    store.touch === own.touch &&
    store.delete === own.delete
    ? immediate
    : undefined
}
