import type { RequestSession } from './session-manager.js'

const HANDLE = Symbol('satchel.handle')
type Holder = { [HANDLE]?: RequestSession }

const accessor = (read: (handle: RequestSession) => unknown): PropertyDescriptor => ({
  configurable: true,
  enumerable: true,
  get(this: Required<Holder>) {
    return read(this[HANDLE])
  },
})

/**
 * Property descriptors for `session`, `avatar` and `sessions` that read the handle stored by
 * {@link attachSession}, so they follow login and regenerate. Build them once per binding (they
 * are shared by every request) and pass them to {@link attachSession}.
 *
 * @param readSession - what `session` returns for a handle (a framework's own view of it);
 *   `handle.session` by default
 * @returns the descriptors, for `attachSession()`
 */
export function sessionAccessors(
  readSession: (handle: RequestSession) => unknown = (handle) => handle.session,
): PropertyDescriptorMap {
  return {
    session: accessor(readSession),
    avatar: accessor((handle) => handle.avatar),
    sessions: accessor((handle) => handle.sessions),
  }
}

const defaultAccessors = sessionAccessors()

/**
 * Stores a request's session handle on `target` (a request or a framework context) and defines
 * `target.session`, `target.avatar` and `target.sessions` from `accessors`. No closure is made
 * per call: the accessors are shared and the handle sits under a private symbol.
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
  ;(target as Holder)[HANDLE] = handle
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
  return (target as Holder)[HANDLE]
}
