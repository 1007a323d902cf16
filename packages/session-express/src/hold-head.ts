import type { ServerResponse } from 'node:http'

const methods = ['writeHead', 'write', 'end', 'flushHeaders'] as const
type Method = (typeof methods)[number]
type Call = (this: unknown, ...args: unknown[]) => unknown
const HELD = Symbol('satchel.held')
interface Held {
  phase: 'idle' | 'holding' | 'open'
  queue: [Call, unknown[]][]
  originals: Record<Method, Call>
  beforeHead: () => Promise<void>
  onError: (error: unknown) => void
}
type HeldResponse = Record<Method, Call> & { [HELD]: Held }

function release(res: HeldResponse): [Call, unknown[]][] {
  res[HELD].phase = 'open'
  return res[HELD].queue.splice(0)
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
        state.beforeHead().then(
          () => {
            for (const [call, callArgs] of release(this)) call.apply(this, callArgs)
          },
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
 * Holds a response until `beforeHead` settles. The first call that would send the head
 * (`writeHead`, `write`, `end`, `flushHeaders`) starts it; that call and later ones are queued and
 * replayed in order once it resolves. If it rejects, the queue is dropped and `onError` runs with
 * the head still unsent. The wrappers then pass straight through, so middleware that wrapped the
 * same methods after us (compression, for example) keeps working.
 */
export function holdHead(
  res: ServerResponse,
  beforeHead: () => Promise<void>,
  onError: (e: unknown) => void,
) {
  const target = res as unknown as HeldResponse
  const originals = {} as Record<Method, Call>
  target[HELD] = { phase: 'idle', queue: [], originals, beforeHead, onError }
  for (const method of methods) {
    originals[method] = target[method]
    target[method] = wrappers[method]
  }
}
