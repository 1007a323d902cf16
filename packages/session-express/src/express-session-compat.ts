import { isDeepStrictEqual } from 'node:util'
import type { RequestSession, Session } from '@satchel/session-core'
import type { ExpressSession, ExpressSessionMethods } from './types.js'

type PlainValue = Record<string, unknown> | unknown[]
interface State {
  handle: RequestSession
  proxy: ExpressSession
  // The plain objects handed to the app: Bag events cannot see in-place mutations.
  lent: Map<string, PlainValue> | undefined
}
// Per-session state on the session itself, under a private symbol: a WeakMap entry per request
// (every request loads its own Session object) made each garbage collection slower.
const STATE = Symbol('satchel.expressSession')
type WithState = Session & { [STATE]?: State }
const stateOf = (session: Session): State | undefined => (session as WithState)[STATE]
const METHODS = new Set(['regenerate', 'save', 'reload', 'destroy'])

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
  const lent = stateOf(session)?.lent
  if (lent === undefined) return
  for (const [key, live] of lent) {
    if (!isDeepStrictEqual(copyPlain(session.data.get(key)), copyPlain(live)))
      session.data.set(key, copyPlain(live))
  }
}

function method(handle: RequestSession, name: keyof ExpressSessionMethods) {
  return (done?: (error?: unknown) => void): void => {
    if (name === 'save') settleLent(handle.session)
    handle[name]().then(() => done?.(), done ?? (() => {}))
  }
}

const isData = (target: Session, key: string | symbol): key is string =>
  typeof key === 'string' && !(key in target) && !METHODS.has(key)

function read(target: Session, key: string): unknown {
  const value: unknown = target.data.get(key)
  if (!isPlain(value)) return value
  const state = stateOf(target)!
  state.lent ??= new Map()
  if (!state.lent.has(key)) state.lent.set(key, copyPlain(value))
  return state.lent.get(key)
}

// One handler for every session proxy; per-session state lives under `STATE`.
const handler: ProxyHandler<Session> = {
  get(target, key) {
    // The member nearly every request reads, answered before the general checks.
    if (key === 'data') return target.data
    if (typeof key === 'string' && METHODS.has(key)) {
      return method(stateOf(target)!.handle, key as keyof ExpressSessionMethods)
    }
    if (isData(target, key)) return read(target, key)
    const value: unknown = Reflect.get(target, key)
    return typeof value === 'function' ? value.bind(target) : value
  },
  set(target, key, value) {
    if (!isData(target, key)) return Reflect.set(target, key, value)
    target.data.set(key, copyPlain(value))
    const state = stateOf(target)!
    state.lent ??= new Map()
    if (isPlain(value)) state.lent.set(key, value)
    else state.lent.delete(key)
    return true
  },
  deleteProperty(target, key) {
    if (!isData(target, key)) return Reflect.deleteProperty(target, key)
    target.data.pop(key)
    stateOf(target)?.lent?.delete(key)
    return true
  },
  has: (target, key) =>
    isData(target, key)
      ? target.data.has(key)
      : (typeof key === 'string' && METHODS.has(key)) || Reflect.has(target, key),
  ownKeys: (target) => [...target.data.keys()].map(String).filter((key) => isData(target, key)),
  getOwnPropertyDescriptor(target, key) {
    if (!isData(target, key)) return Reflect.getOwnPropertyDescriptor(target, key)
    const present = target.data.has(key)
    return present
      ? { value: read(target, key), writable: true, enumerable: true, configurable: true }
      : undefined
  },
}

/**
 * `req.session` as express-session users know it: the satchel {@link Session} (its members win),
 * express-session's callback methods, and any other property mapped to a top-level entry of
 * `session.data`.
 */
export function expressSession(handle: RequestSession): ExpressSession {
  const session = handle.session as WithState
  let state = session[STATE]
  if (state === undefined) {
    state = { handle, proxy: new Proxy(session, handler) as ExpressSession, lent: undefined }
    // A plain (configurable) property: the proxy's ownKeys trap may then leave it out.
    session[STATE] = state
  }
  return state.proxy
}
