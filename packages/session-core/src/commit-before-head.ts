import type { ServerResponse } from 'node:http'
import { ownSlot, slotOf } from './request-slot.js'
import { sharedPrototypeOf } from './shared-prototype.js'

const methods = ['writeHead', 'write', 'end', 'flushHeaders'] as const
type Method = (typeof methods)[number]
type Call = (this: unknown, ...args: unknown[]) => unknown
type Commit = () => Promise<readonly string[]> | readonly string[]
interface Held {
  phase: 'idle' | 'holding' | 'open'
  queue: [Call, unknown[]][] | undefined
  /** The methods the wrappers hand calls to: the response's own ones, or undefined (shared wrappers). */
  originals: Record<Method, Call> | undefined
  commit: Commit
  onError: (error: unknown) => void
}
type HeldResponse = Record<Method, Call> & Pick<ServerResponse, 'appendHeader'> & { req?: object }

/**
 * Where a response's state lives: in the slot of its request (`res.req`, set by Node), beside
 * the request's session handle, so the response itself gets no property (see request-slot.ts);
 * in the response's own slot when it has no request.
 */
const holderOf = (res: HeldResponse): object => res.req ?? res
const heldOf = (res: HeldResponse): Held | undefined => slotOf(holderOf(res))?.held as Held | undefined

function release(state: Held): [Call, unknown[]][] {
  state.phase = 'open'
  const queue = state.queue ?? []
  state.queue = undefined
  return queue
}

function replay(res: HeldResponse, state: Held, cookies: readonly string[]): void {
  if (cookies.length > 0) res.appendHeader('set-cookie', [...cookies])
  for (const [call, args] of release(state)) call.apply(res, args)
}

/**
 * The first call that would send the head runs the commit: true when it answered at once (no
 * store work; the `Set-Cookie` values are added and the call may go straight through); false
 * when the response is held until its promise settles, or when it failed (then `onError` ran).
 */
function begin(res: HeldResponse, state: Held): boolean {
  let result: Promise<readonly string[]> | readonly string[]
  try {
    result = state.commit()
  } catch (error) {
    release(state)
    state.onError(error)
    return false
  }
  if (Array.isArray(result)) {
    const cookies: readonly string[] = result
    state.phase = 'open'
    if (cookies.length > 0) res.appendHeader('set-cookie', [...cookies])
    return true
  }
  state.phase = 'holding'
  state.queue = []
  ;(result as Promise<readonly string[]>).then(
    (cookies) => replay(res, state, cookies),
    (error: unknown) => {
      release(state)
      state.onError(error)
    },
  )
  return false
}

/**
 * A call made while the response is held (the commit is waiting for the store, or failed): kept
 * for the replay, or dropped after a failure. Its arguments are the declared three: none of the
 * wrapped methods reads more.
 */
function hold(
  res: HeldResponse,
  state: Held,
  original: Call,
  method: Method,
  count: number,
  args: [unknown, unknown, unknown],
): unknown {
  if (state.phase === 'holding') state.queue!.push([original, args.slice(0, count)])
  return held(method, res)
}

/**
 * Calls `original` with the first `count` of `a`, `b`, `c`: the wrappers take three declared
 * parameters instead of a rest array, so a call that goes straight through allocates nothing.
 */
function forward(
  original: Call,
  res: HeldResponse,
  count: number,
  a: unknown,
  b: unknown,
  c: unknown,
): unknown {
  switch (count) {
    case 0:
      return original.call(res)
    case 1:
      return original.call(res, a)
    case 2:
      return original.call(res, a, b)
    default:
      return original.call(res, a, b, c)
  }
}

/** What a held call returns: what the real method would have. */
function held(method: Method, res: HeldResponse): unknown {
  return method === 'write' ? true : method === 'flushHeaders' ? undefined : res
}

/** Per-response wrappers (the response's own properties), used where no shared prototype exists. */
const ownWrappers = Object.fromEntries(
  methods.map((method) => [
    method,
    function ownHeld(this: HeldResponse, a?: unknown, b?: unknown, c?: unknown) {
      const state = heldOf(this)!
      const original = state.originals![method]
      // biome-ignore lint/complexity/noArguments: a rest array would be allocated on every call
      const count = Math.min(arguments.length, 3)
      if (state.phase === 'open' || (state.phase === 'idle' && begin(this, state)))
        return forward(original, this, count, a, b, c)
      return hold(this, state, original, method, count, [a, b, c])
    },
  ]),
) as Record<Method, Call>

/**
 * Wrappers defined once on a framework's shared response prototype (Express's `express.response`);
 * a response without held state (no session middleware ran for it) passes straight through to
 * the method the prototype's parent has now.
 */
function sharedWrappers(parent: Record<Method, Call>): Record<Method, Call> {
  return Object.fromEntries(
    methods.map((method) => [
      method,
      function sharedHeld(this: HeldResponse, a?: unknown, b?: unknown, c?: unknown) {
        const state = heldOf(this)
        const original = parent[method]
        // biome-ignore lint/complexity/noArguments: a rest array would be allocated on every call
        const count = Math.min(arguments.length, 3)
        if (state === undefined || state.phase === 'open' || (state.phase === 'idle' && begin(this, state)))
          return forward(original, this, count, a, b, c)
        return hold(this, state, original, method, count, [a, b, c])
      },
    ]),
  ) as Record<Method, Call>
}

/** Per immediate prototype of a response: whether the shared wrappers cover it. */
const plans = new WeakMap<object, boolean>()
const wrapped = new WeakSet<object>()
let lastPrototype: object | null = null

function sharedFor(prototype: object | null): boolean {
  if (prototype === null) return false
  if (prototype === lastPrototype) return true
  let shared = plans.get(prototype)
  if (shared === undefined) {
    const home = sharedPrototypeOf(prototype)
    shared = false
    if (home !== undefined) {
      if (wrapped.has(home)) shared = true
      else if (methods.every((method) => !Object.hasOwn(home, method))) {
        // The wrappers read the methods from the parent at each call, so a method patched later
        // on ServerResponse.prototype (instrumentation) is still the one called.
        const parent = Object.getPrototypeOf(home) as Record<Method, Call> | null
        if (parent !== null && methods.every((method) => typeof parent[method] === 'function')) {
          for (const [method, wrapper] of Object.entries(sharedWrappers(parent))) {
            Object.defineProperty(home, method, { configurable: true, writable: true, value: wrapper })
          }
          wrapped.add(home)
          shared = true
        }
      }
    }
    plans.set(prototype, shared)
  }
  if (shared) lastPrototype = prototype
  return shared
}

/**
 * Runs `commit` before the response head leaves, and adds the `Set-Cookie` values it returns.
 * The first call that would send the head (`writeHead`, `write`, `end`, `flushHeaders`) starts
 * the commit. When it returns the values at once (an array: nothing to store), they are added
 * and the call goes straight through. When it returns a promise, that call and later ones are
 * queued and replayed in order once it resolves, so a redirect right after a login carries the
 * new cookie and the store is written before the browser follows it. If the commit rejects (or
 * throws), the queue is dropped and `onError` runs with the head still unsent (answer the error
 * from there). The wrappers then pass straight through, so code that wrapped the same methods
 * later (compression, for example) keeps working.
 *
 * On a response made from a framework's shared prototype (Express), the wrappers are defined
 * once on that prototype and the state goes to the request's slot, beside its session handle (see
 * `attachSession()`); a plain `node:http` response gets its own wrappers.
 *
 * @param res - the response; call this before anything is written to it
 * @param commit - usually `() => handle.settle()` or `() => handle.commit()`; returns the
 *   `Set-Cookie` values, or a promise of them
 * @param onError - receives the commit's error (a `SessionError` when the store failed)
 * @example
 * ```ts
 * const handle = await manager.open(requestInput(req))
 * commitBeforeHead(res, () => handle.settle(), (error) => fail(res, error))
 * ```
 */
export function commitBeforeHead(
  res: ServerResponse,
  commit: Commit,
  onError: (error: unknown) => void,
): void {
  const target = res as unknown as HeldResponse
  if (sharedFor(Object.getPrototypeOf(res) as object | null)) {
    ownSlot(holderOf(target)).held = {
      phase: 'idle',
      queue: undefined,
      originals: undefined,
      commit,
      onError,
    }
    return
  }
  const originals = {} as Record<Method, Call>
  ownSlot(holderOf(target)).held = { phase: 'idle', queue: undefined, originals, commit, onError }
  for (const method of methods) {
    originals[method] = target[method]
    target[method] = ownWrappers[method]
  }
}
