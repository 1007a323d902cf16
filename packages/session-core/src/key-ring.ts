import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto'
import { SessionError } from './session-error.js'
import { isWellFormedId, SESSION_ID_LENGTH } from './session-id.js'

/** The shortest secret accepted, in bytes (UTF-8). */
export const MIN_SECRET_BYTES = 32
/** Length of a base64url HMAC-SHA256 signature. */
const SIGNATURE_LENGTH = 43
/** Length of a signed cookie value: `<id>.<signature>`. */
export const SIGNED_VALUE_LENGTH = SESSION_ID_LENGTH + 1 + SIGNATURE_LENGTH

/** Why a cookie value was rejected. */
export type CookieRejection = 'malformed' | 'oversized' | 'forged'

/** The result of {@link KeyRing.verify}: the id and whether it must be re-signed, or a rejection. */
export type VerifyResult = { ok: true; id: string; stale: boolean } | { ok: false; reason: CookieRejection }

/**
 * HMAC-SHA256 signing with a rotating key ring: the first secret signs, every secret verifies,
 * and a value verified by an older secret is reported `stale` so it can be re-issued.
 */
export class KeyRing {
  readonly #keys: readonly KeyObject[]

  /** @throws SessionError `SECRET_TOO_SHORT` when a secret has fewer than 32 bytes, `INVALID_OPTIONS` when none is given. */
  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : secrets
    if (!Array.isArray(list) || list.length === 0) {
      throw new SessionError('INVALID_OPTIONS', 'secret: give at least one secret of 32 bytes or more')
    }
    this.#keys = list.map((secret, index) => {
      if (typeof secret !== 'string' || Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
        throw new SessionError(
          'SECRET_TOO_SHORT',
          `secret[${index}] is shorter than ${MIN_SECRET_BYTES} bytes; use a long random string`,
        )
      }
      return createSecretKey(Buffer.from(secret))
    })
  }

  /** `<id>.<signature>` signed with the newest key. */
  sign(id: string): string {
    return `${id}.${this.#mac(this.#keys[0]!, id).toString('base64url')}`
  }

  /** Checks a signed value in constant time against every key; never throws. */
  verify(value: string): VerifyResult {
    if (value.length > SIGNED_VALUE_LENGTH) return { ok: false, reason: 'oversized' }
    if (value.length !== SIGNED_VALUE_LENGTH || value.charCodeAt(SESSION_ID_LENGTH) !== 46 /* . */) {
      return { ok: false, reason: 'malformed' }
    }
    const id = value.slice(0, SESSION_ID_LENGTH)
    if (!isWellFormedId(id)) return { ok: false, reason: 'malformed' }
    const signature = value.slice(SESSION_ID_LENGTH + 1)
    const given = Buffer.from(signature, 'base64url')
    // Node's decoder is forgiving (non-ASCII aliases, unused low bits); only the canonical
    // spelling of a signature is accepted, so one cookie has exactly one valid form.
    if (given.length !== 32 || given.toString('base64url') !== signature) {
      return { ok: false, reason: 'malformed' }
    }
    const keys = this.#keys
    for (let index = 0; index < keys.length; index++) {
      if (timingSafeEqual(this.#mac(keys[index]!, id), given)) return { ok: true, id, stale: index > 0 }
    }
    return { ok: false, reason: 'forged' }
  }

  #mac(key: KeyObject, id: string): Buffer {
    return createHmac('sha256', key).update(id).digest()
  }
}
