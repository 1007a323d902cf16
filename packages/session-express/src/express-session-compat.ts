import { isDeepStrictEqual } from 'node:util'
import type { RequestSession, Session } from '@satchel/session-core'
import type { ExpressSession, ExpressSessionMethods } from './types.js'

type PlainValue = Record<string, unknown> | unknown[]
// Per session, the plain objects handed to the app: Bag events cannot see in-place mutations.
const lent = new WeakMap<Session, Map<string, PlainValue>>()
const proxies = new WeakMap<Session, ExpressSession>()

// Plain data: arrays, and objects whose prototype is null or a root (Object.prototype, or the
// null-prototype object a decoder may use), as opposed to class instances (Bag, Date, Decimal…).
function isPlain(value: unknown): value is PlainValue {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return Array.isArray(value) || proto === null || Object.getPrototypeOf(proto) === null
}

function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T
  if (!isPlain(value)) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyPlain(item)])) as T
}

/** Writes back the plain objects the app mutated in place (`req.session.passport.user = id`). */
export function settleLent(session: Session): void {
  for (const [key, live] of lent.get(session) ?? []) {
    if (!isDeepStrictEqual(copyPlain(session.data.get(key)), copyPlain(live)))
      session.data.set(key, copyPlain(live))
  }
}

const callback = (run: () => Promise<void>) => (done?: (error?: unknown) => void) => {
  run().then(() => done?.(), done ?? (() => {}))
}

/**
 * `req.session` as express-session users know it: the satchel {@link Session} (its members win),
 * express-session's callback methods, and any other property mapped to a top-level entry of
 * `session.data`.
 */
export function expressSession(handle: RequestSession): ExpressSession {
  const session = handle.session
  const cached = proxies.get(session)
  if (cached) return cached
  const methods: ExpressSessionMethods = {
    regenerate: callback(() => handle.regenerate()),
    reload: callback(() => handle.reload()),
    destroy: callback(() => handle.destroy()),
    save: callback(() => {
      settleLent(handle.session)
      return handle.save()
    }),
  }
  const lentHere = new Map<string, PlainValue>()
  lent.set(session, lentHere)
  const isData = (key: string | symbol): key is string =>
    typeof key === 'string' && !(key in session) && !(key in methods)
  const read = (key: string): unknown => {
    const value: unknown = session.data.get(key)
    if (isPlain(value) && !lentHere.has(key)) lentHere.set(key, copyPlain(value))
    return isPlain(value) ? lentHere.get(key) : value
  }
  const proxy = new Proxy(session, {
    get(target, key) {
      if (key in methods) return methods[key as keyof ExpressSessionMethods]
      if (isData(key)) return read(key)
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
    set(target, key, value) {
      if (!isData(key)) return Reflect.set(target, key, value)
      target.data.set(key, copyPlain(value))
      if (isPlain(value)) lentHere.set(key, value)
      else lentHere.delete(key)
      return true
    },
    deleteProperty(target, key) {
      if (!isData(key)) return Reflect.deleteProperty(target, key)
      target.data.pop(key)
      lentHere.delete(key)
      return true
    },
    has: (target, key) => (isData(key) ? target.data.has(key) : key in methods || Reflect.has(target, key)),
    ownKeys: (target) => [...target.data.keys()].map(String).filter(isData),
    getOwnPropertyDescriptor(target, key) {
      if (!isData(key)) return Reflect.getOwnPropertyDescriptor(target, key)
      const present = target.data.has(key)
      return present ? { value: read(key), writable: true, enumerable: true, configurable: true } : undefined
    },
  }) as ExpressSession
  proxies.set(session, proxy)
  return proxy
}
