import { SessionError } from './session-error.js'

/**
 * What a login hands the session: who the user is and their tags, plus any plain data the app
 * wants in the snapshot. Apps augment it with declaration merging:
 *
 * @example
 * ```ts
 * declare module '@satchel/session-core' {
 *   interface AuthInfo { displayName?: string }
 * }
 * ```
 */
export interface AuthInfo {
  /** The user's identity (user name, e-mail, id). */
  identity: string
  /** Authorisation tags (roles, permissions). */
  tags?: string[]
  [key: string]: unknown
}

const MAX_DEPTH = 32

function copyPlain(value: unknown, depth: number, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value
    throw new SessionError('NOT_SERIALIZABLE', `auth${path} is not a finite number`)
  }
  if (depth > MAX_DEPTH) throw new SessionError('NOT_SERIALIZABLE', `auth is nested deeper than ${MAX_DEPTH}`)
  if (Array.isArray(value)) {
    return Object.freeze(value.map((item, index) => copyPlain(item, depth + 1, `${path}[${index}]`)))
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto === Object.prototype || proto === null) {
      const copy: Record<string, unknown> = {}
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key]
        if (item === undefined) continue
        // defineProperty keeps `__proto__` an ordinary own key.
        Object.defineProperty(copy, key, {
          value: copyPlain(item, depth + 1, `${path}.${key}`),
          enumerable: true,
          writable: false,
          configurable: false,
        })
      }
      return Object.freeze(copy)
    }
  }
  throw new SessionError(
    'NOT_SERIALIZABLE',
    `auth${path} is a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}; the auth snapshot holds plain JSON data only`,
  )
}

/**
 * A deep, frozen copy of an auth object. The snapshot holds plain JSON data only (strings,
 * finite numbers, booleans, null, arrays, plain objects), so every store keeps it losslessly.
 *
 * @throws SessionError `INVALID_AUTH` without a non-empty string `identity` or with non-string
 * tags; `NOT_SERIALIZABLE` for any other value.
 */
export function snapshotAuth(auth: unknown): AuthInfo {
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) {
    throw new SessionError('INVALID_AUTH', 'auth must be an object with an identity')
  }
  const { identity, tags } = auth as Record<string, unknown>
  if (typeof identity !== 'string' || identity.length === 0) {
    throw new SessionError('INVALID_AUTH', 'auth.identity must be a non-empty string')
  }
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))) {
    throw new SessionError('INVALID_AUTH', 'auth.tags must be an array of strings')
  }
  return copyPlain(auth, 0, '') as AuthInfo
}

const parsed = new Map<string, AuthInfo>()
const PARSED_LIMIT = 1024

/**
 * Parses the JSON text of a stored auth snapshot (already validated when written). Snapshots are
 * deep-frozen, so one parsed object is safely shared by every request of the same user (a small
 * bounded cache keyed by the text).
 */
export function parseAuth(text: string): AuthInfo | null {
  if (text === 'null') return null
  let auth = parsed.get(text)
  if (auth === undefined) {
    auth = deepFreeze(JSON.parse(text)) as AuthInfo
    if (parsed.size >= PARSED_LIMIT) parsed.clear()
    parsed.set(text, auth)
  }
  return auth
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
    Object.freeze(value)
  }
  return value
}
