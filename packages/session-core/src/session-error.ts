const BRAND = Symbol.for('@satchel/session-core/SessionError')

/**
 * Every code a {@link SessionError} can carry, mapped to the HTTP status a binding answers with.
 * This is the one table that decides statuses; bindings read `error.status` and never decide.
 */
export const SESSION_ERROR_STATUS = {
  /** The store could not be reached or answered with an error. */
  STORE_UNAVAILABLE: 503,
  /** A secret given to the manager is shorter than 32 bytes. */
  SECRET_TOO_SHORT: 500,
  /** The options given to the manager or a store are invalid. */
  INVALID_OPTIONS: 500,
  /** The encoded session is larger than `maxSessionBytes`. */
  SESSION_TOO_LARGE: 500,
  /** The session holds a value no store can persist (a function, a class instance…). */
  NOT_SERIALIZABLE: 500,
  /** A dump given to `restore()` is corrupt, foreign or of an unknown version. */
  INVALID_DUMP: 500,
  /** A stored record cannot be decoded. */
  CORRUPT_RECORD: 500,
  /** The auth snapshot given to `login()` is not usable (no identity, not plain data). */
  INVALID_AUTH: 500,
  /** A versioned save kept losing the race against concurrent writers. */
  CONFLICT: 503,
  /** The operation is not possible in the current state (e.g. a closed store). */
  INVALID_STATE: 500,
} as const satisfies Record<string, number>

/** The string code of a {@link SessionError}. */
export type SessionErrorCode = keyof typeof SESSION_ERROR_STATUS

/**
 * The one error type of `@satchel/session-core`. `code` says what happened, `status` is the HTTP
 * status a binding should answer with, `cause` carries the underlying error when there is one.
 *
 * @example
 * ```ts
 * try { await handle.commit() } catch (error) {
 *   if (SessionError.is(error) && error.code === 'STORE_UNAVAILABLE') retryLater()
 * }
 * ```
 */
export class SessionError extends Error {
  /** What went wrong, as a stable string. */
  readonly code: SessionErrorCode
  /** The HTTP status this error maps to (503 for `STORE_UNAVAILABLE` and `CONFLICT`, else 500). */
  readonly status: number

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SessionError'
    this.code = code
    this.status = SESSION_ERROR_STATUS[code]
    Object.defineProperty(this, BRAND, { value: true })
  }

  /**
   * Whether `value` is a `SessionError`, also when it was thrown by another copy of this package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   */
  static is(value: unknown): value is SessionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
