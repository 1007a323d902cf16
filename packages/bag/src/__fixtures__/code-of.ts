// Test support: the error code a call throws, for assertions on BagError codes.
import { BagError } from '../errors.js'

/** The `BagError` code `fn` throws; a `not a BagError: …` text for other errors; undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return BagError.is(error) ? error.code : `not a BagError: ${String(error)}`
  }
  return undefined
}
