import { setMaxListeners } from 'node:events'
import { SessionError } from '@satchel/session-core'

/**
 * Runs `operation` and settles within `timeoutMs`: the operation's result, or a
 * `SessionError('STORE_UNAVAILABLE')` when it fails or takes longer. The signal handed to the
 * operation aborts when the time is up, so a command still waiting in the client's offline queue
 * is dropped instead of running later. A late failure of the abandoned operation is swallowed.
 */
export async function withCommandTimeout<T>(
  what: string,
  timeoutMs: number,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  // One call may send many commands (SCAN batches, clear), each listening to this signal.
  setMaxListeners(0, controller.signal)
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new SessionError('STORE_UNAVAILABLE', `Redis did not answer ${what} within ${timeoutMs} ms.`))
      controller.abort()
    }, timeoutMs)
  })
  let pending: Promise<T>
  try {
    pending = operation(controller.signal)
  } catch (error) {
    clearTimeout(timer)
    throw unavailable(what, error)
  }
  pending.catch(() => undefined)
  try {
    return await Promise.race([pending, expired])
  } catch (error) {
    throw unavailable(what, error)
  } finally {
    clearTimeout(timer)
  }
}

/** Wraps any failure of a Redis call in `SessionError('STORE_UNAVAILABLE')` (SessionErrors pass). */
export function unavailable(what: string, error: unknown): SessionError {
  if (SessionError.is(error)) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new SessionError('STORE_UNAVAILABLE', `Redis failed on ${what}: ${reason}`, { cause: error })
}
