import type { ServerResponse } from 'node:http'

const methods = ['writeHead', 'write', 'end', 'flushHeaders'] as const
type Method = (typeof methods)[number]
type Call = (this: unknown, ...args: unknown[]) => unknown
const HELD = Symbol('satchel.held')
interface Held {
  phase: 'idle' | 'holding' | 'open'
  queue: [Call, unknown[]][]
  originals: Record<Method, Call>
  commit: () => Promise<readonly string[]>
  onError: (error: unknown) => void
}
type HeldResponse = Record<Method, Call> & Pick<ServerResponse, 'appendHeader'> & { [HELD]: Held }

function release(res: HeldResponse): [Call, unknown[]][] {
  res[HELD].phase = 'open'
  return res[HELD].queue.splice(0)
}

function replay(res: HeldResponse, cookies: readonly string[]): void {
  if (cookies.length > 0) res.appendHeader('set-cookie', [...cookies])
  for (const [call, args] of release(res)) call.apply(res, args)
}

// One wrapper per method, shared by every response: the per-response state lives under HELD.
const wrappers = Object.fromEntries(
  methods.map((method) => [
    method,
    function held(this: HeldResponse, ...args: unknown[]) {
      const state = this[HELD]
      const original = state.originals[method]
      if (state.phase === 'open') return original.apply(this, args)
      state.queue.push([original, args])
      if (state.phase === 'idle') {
        state.phase = 'holding'
        state.commit().then(
          (cookies) => replay(this, cookies),
          (error: unknown) => {
            release(this)
            state.onError(error)
          },
        )
      }
      return method === 'write' ? true : method === 'flushHeaders' ? undefined : this
    },
  ]),
) as Record<Method, Call>

/**
 * Runs `commit` before the response head leaves, and adds the `Set-Cookie` values it returns.
 * The first call that would send the head (`writeHead`, `write`, `end`, `flushHeaders`) starts
 * the commit; that call and later ones are queued and replayed in order once it resolves, so a
 * redirect right after a login carries the new cookie and the store is written before the
 * browser follows it. If the commit rejects, the queue is dropped and `onError` runs with the
 * head still unsent (answer the error from there). The wrappers then pass straight through, so
 * code that wrapped the same methods later (compression, for example) keeps working.
 *
 * @param res - the response; call this before anything is written to it
 * @param commit - usually `() => handle.commit()`; resolves to the `Set-Cookie` values
 * @param onError - receives the commit's error (a `SessionError` when the store failed)
 * @example
 * ```ts
 * const handle = await manager.open(requestInput(req))
 * commitBeforeHead(res, () => handle.commit(), (error) => fail(res, error))
 * ```
 */
export function commitBeforeHead(
  res: ServerResponse,
  commit: () => Promise<readonly string[]>,
  onError: (error: unknown) => void,
): void {
  const target = res as unknown as HeldResponse
  const originals = {} as Record<Method, Call>
  target[HELD] = { phase: 'idle', queue: [], originals, commit, onError }
  for (const method of methods) {
    originals[method] = target[method]
    target[method] = wrappers[method]
  }
}
