const BRAND: unique symbol = Symbol.for('@satchel/bag.BagError') as never

/** Every failure code a {@link BagError} can carry. */
export type BagErrorCode =
  | 'PARSE_ERROR'
  | 'DEPTH_LIMIT'
  | 'SIZE_LIMIT'
  | 'INVALID_PATH'
  | 'INVALID_POSITION'
  | 'INVALID_VALUE'
  | 'RESOLVER_CONFLICT'
  | 'NOT_SERIALIZABLE'

/**
 * The only error type thrown by `@satchel/bag`. `code` tells what went wrong; `cause` keeps the
 * underlying error when there is one. Use {@link BagError.is} to recognise it across package copies.
 */
export class BagError extends Error {
  /** Machine-readable failure code. */
  readonly code: BagErrorCode
  /** Brand shared by every copy of this package (`Symbol.for`). */
  readonly [BRAND] = true as const

  /**
   * @param code - the failure code
   * @param message - a human-readable description
   * @param options - `cause`: the underlying error
   */
  constructor(code: BagErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BagError'
    this.code = code
  }

  /** True when `value` is a `BagError` (from any copy of `@satchel/bag`). */
  static is(value: unknown): value is BagError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

/** Wraps anything thrown by a third-party parser into a `BagError` (keeps BagErrors as they are). */
export function toBagError(error: unknown, code: BagErrorCode, message: string): BagError {
  if (BagError.is(error)) return error
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new BagError('DEPTH_LIMIT', `${message}: input nested too deeply`, { cause: error })
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new BagError(code, `${message}: ${detail}`, { cause: error })
}
