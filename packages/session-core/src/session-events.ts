import type { CookieRejection } from './key-ring.js'
import type { Session } from './session.js'
import type { SessionError } from './session-error.js'

/** Why a session was destroyed. */
export type DestroyReason = 'logout' | 'logoutEverywhere' | 'login' | 'regenerate' | 'expired'

/**
 * Everything the manager reports through `subscribe()`. Events carry digests, never raw ids,
 * except through the `session` object itself.
 */
export type SessionEvent =
  /** A new session was stored (first commit with data, or a login). */
  | { type: 'created'; session: Session }
  /** A session was read from the store for a request. */
  | { type: 'loaded'; session: Session }
  /** A commit wrote to the store: a new session, a save of changes, or a throttled touch. */
  | { type: 'committed'; session: Session; operation: 'insert' | 'save' | 'touch' }
  /** A request's session was replaced by one with a new id (login or regenerate). */
  | {
      type: 'regenerated'
      session: Session
      previousDigest: string | undefined
      reason: 'login' | 'regenerate'
    }
  /** A stored session was deleted (with a tombstone). */
  | { type: 'destroyed'; digest: string; reason: DestroyReason }
  /** A session was found expired (idle or absolute) and removed. */
  | { type: 'expired'; digest: string }
  /** The store evicted a session to respect its size bound. */
  | { type: 'evicted'; digest: string }
  /** A session cookie was malformed, oversized or forged; the request got a fresh session. */
  | { type: 'cookieRejected'; reason: CookieRejection }
  /** The store failed; with `onStoreError: 'anonymous'` the request continues anonymously. */
  | { type: 'storeError'; error: SessionError; operation: 'get' | 'save' | 'touch' | 'delete' | 'list' }
  /**
   * A `Secure` cookie was sent in answer to a request that is not secure. It is sent anyway;
   * browsers drop `Secure` cookies set over plain http (except on localhost), so the session will
   * not stick. Usually TLS ends at a proxy and `trustProxy` is off.
   */
  | { type: 'insecureCookie'; cookieName: string }

/** The names of {@link SessionEvent}s. */
export type SessionEventType = SessionEvent['type']
