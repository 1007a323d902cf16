import { ownSlot, slotOf } from './request-slot.js'
import type { RequestSession } from './session-manager.js'
import { sharedPrototypeOf } from './shared-prototype.js'

const NAMES = ['session', 'avatar', 'sessions'] as const
type Reader = (handle: RequestSession) => unknown

const accessor = (read: Reader): PropertyDescriptor => ({
  configurable: true,
  enumerable: true,
  get(this: object) {
    return read(slotOf(this)!.handle!)
  },
})

/**
 * The same accessor for a framework's shared prototype, where it is also seen by requests this
 * binding never attached a handle to (another app in the process, a route mounted before the
 * middleware): there it reads `undefined`, as if it were not there, and an assignment (another
 * session library's `req.session = …`) makes a plain property of the request. On a request that
 * has a handle it stays read-only, like the per-request accessor.
 */
const sharedAccessor = (name: string, read: Reader): PropertyDescriptor => ({
  configurable: true,
  enumerable: false,
  get(this: object) {
    const handle = slotOf(this)?.handle
    return handle === undefined ? undefined : read(handle)
  },
  set(this: object, value: unknown) {
    if (slotOf(this)?.handle !== undefined) {
      throw new TypeError(`Cannot set property ${name}: it is the request's satchel session (read-only)`)
    }
    Object.defineProperty(this, name, { configurable: true, enumerable: true, writable: true, value })
  },
})

/** For each descriptor map made by {@link sessionAccessors}: its variant for shared prototypes. */
const sharedVariants = new WeakMap<PropertyDescriptorMap, PropertyDescriptorMap>()

/**
 * Property descriptors for `session`, `avatar` and `sessions` that read the handle stored by
 * {@link attachSession}, so they follow login and regenerate. Build them once per binding (they
 * are shared by every request) and pass them to {@link attachSession}.
 *
 * @param readSession - what `session` returns for a handle (a framework's own view of it);
 *   `handle.session` by default
 * @returns the descriptors, for `attachSession()`
 */
export function sessionAccessors(readSession: Reader = (handle) => handle.session): PropertyDescriptorMap {
  const readers: Record<(typeof NAMES)[number], Reader> = {
    session: readSession,
    avatar: (handle) => handle.avatar,
    sessions: (handle) => handle.sessions,
  }
  const own: PropertyDescriptorMap = {}
  const shared: PropertyDescriptorMap = {}
  for (const name of NAMES) {
    own[name] = accessor(readers[name])
    shared[name] = sharedAccessor(name, readers[name])
  }
  sharedVariants.set(own, shared)
  return own
}

const defaultAccessors = sessionAccessors()

/**
 * Where each prototype stands, per descriptor map: `true` when the accessors sit on a shared
 * prototype up its chain, `false` when targets with it get their own accessors.
 */
const plans = new WeakMap<PropertyDescriptorMap, WeakMap<object, boolean>>()
/** Which descriptor map was installed on a shared prototype (one per prototype). */
const installed = new WeakMap<object, PropertyDescriptorMap>()
// The last decision, checked first: a server sees the same prototype on every request.
let lastAccessors: PropertyDescriptorMap | undefined
let lastPrototype: object | null = null

function installFor(prototype: object | null, accessors: PropertyDescriptorMap): boolean {
  let plan = plans.get(accessors)
  if (plan === undefined) {
    plan = new WeakMap()
    plans.set(accessors, plan)
  }
  if (prototype === null) return false
  let shared = plan.get(prototype)
  if (shared === undefined) {
    shared = false
    const variant = sharedVariants.get(accessors)
    const home = variant === undefined ? undefined : sharedPrototypeOf(prototype)
    if (home !== undefined && variant !== undefined) {
      if (installed.get(home) === accessors) shared = true
      else if (!installed.has(home) && NAMES.every((name) => !(name in home))) {
        Object.defineProperties(home, variant)
        installed.set(home, accessors)
        shared = true
      }
    }
    plan.set(prototype, shared)
  }
  return shared
}

/**
 * Stores a request's session handle on `target` (a request or a framework context) and gives
 * `target.session`, `target.avatar` and `target.sessions` from `accessors`, which read the
 * handle. No closure is made per call. When `target` comes from a framework's shared request or
 * context prototype (Express's `req`, Koa's `ctx`) and `accessors` come from
 * {@link sessionAccessors}, the accessors are defined once on that prototype; otherwise they are
 * defined on `target` itself. The handle goes to the target's slot (request-slot.ts, shared with
 * {@link commitBeforeHead}'s state for the request's response), which on a Node request is not a
 * property of the request: a request costs no property write.
 *
 * @param target - the object the app reads (`req`, `ctx`)
 * @param handle - what `manager.open()` returned for this request
 * @param accessors - from {@link sessionAccessors}; the plain ones by default
 */
export function attachSession(
  target: object,
  handle: RequestSession,
  accessors: PropertyDescriptorMap = defaultAccessors,
): void {
  ownSlot(target).handle = handle
  const prototype = Object.getPrototypeOf(target) as object | null
  if (prototype === lastPrototype && accessors === lastAccessors && prototype !== null) return
  if (installFor(prototype, accessors)) {
    lastPrototype = prototype
    lastAccessors = accessors
    return
  }
  Object.defineProperties(target, accessors)
}

/**
 * The session handle {@link attachSession} stored on `target`, if any. A binding mounted twice
 * on one path checks it first: the first mount owns the request, the second passes it on.
 *
 * @param target - the request or context
 * @returns the handle, or `undefined` when no session was attached yet
 */
export function handleOf(target: object): RequestSession | undefined {
  return slotOf(target)?.handle
}
