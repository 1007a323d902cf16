import type { ServerResponse } from 'node:http'

const methods = ['writeHead', 'write', 'end', 'flushHeaders'] as const
type Call = (this: ServerResponse, ...args: unknown[]) => unknown

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
  onError: (error: unknown) => void,
) {
  const target = res as unknown as Record<(typeof methods)[number], Call>
  const queue: [Call, unknown[]][] = []
  let state: 'idle' | 'holding' | 'open' = 'idle'
  const open = () => {
    state = 'open'
    return queue.splice(0)
  }
  for (const method of methods) {
    const original = target[method]
    target[method] = function held(this: ServerResponse, ...args: unknown[]) {
      if (state === 'open') return original.apply(this, args)
      queue.push([original, args])
      if (state === 'idle') {
        state = 'holding'
        beforeHead().then(
          () => {
            for (const [call, callArgs] of open()) call.apply(res, callArgs)
          },
          (error: unknown) => {
            open()
            onError(error)
          },
        )
      }
      return method === 'write' ? true : method === 'flushHeaders' ? undefined : res
    }
  }
}
