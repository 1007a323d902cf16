import { MemorySessionStore, SessionError, type SessionStore } from '@satchel/session-core'

/** Switches for {@link controlledStore}. */
export interface StoreControl {
  /** When true every call rejects with `SessionError('STORE_UNAVAILABLE')`, as a dead Redis would. */
  failing: boolean
  /** Milliseconds each `save` waits before reaching the real store (a slow network). */
  saveDelay: number
  /** How many times each method was called. */
  readonly calls: Map<string, number>
}

// The store methods that reach the storage; `entries`, `close` and `subscribe` pass through.
const STORE_CALLS = new Set([
  'create',
  'get',
  'save',
  'touch',
  'delete',
  'listByIdentity',
  'deleteByIdentity',
  'count',
  'clear',
  'dump',
  'restore',
])

/**
 * A real `MemorySessionStore` behind switches: it can be made unavailable (every method rejects
 * with the `SessionError` a failing store gives) or slow, and it counts calls.
 */
export function controlledStore(inner: SessionStore = new MemorySessionStore()): {
  store: SessionStore
  control: StoreControl
} {
  const control: StoreControl = { failing: false, saveDelay: 0, calls: new Map() }
  const store = new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key)
      if (typeof value !== 'function') return value
      if (typeof key !== 'string' || !STORE_CALLS.has(key)) return value.bind(target)
      return async (...args: unknown[]) => {
        control.calls.set(key, (control.calls.get(key) ?? 0) + 1)
        if (control.failing) throw new SessionError('STORE_UNAVAILABLE', 'the test store is down')
        if (key === 'save' && control.saveDelay > 0)
          await new Promise((r) => setTimeout(r, control.saveDelay))
        return value.apply(target, args)
      }
    },
  })
  return { store, control }
}
