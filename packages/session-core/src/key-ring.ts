import { createHash, createHmac, createSecretKey, hash, type KeyObject, timingSafeEqual } from 'node:crypto'
import { ownCopy } from './recent-results.js'
import { SessionError } from './session-error.js'
import { isWellFormedId, rememberDigest, SESSION_ID_LENGTH } from './session-id.js'
import { TokenMemo } from './token-memo.js'

/** The shortest secret accepted, in bytes (UTF-8). */
export const MIN_SECRET_BYTES = 32
/** Length of a base64url HMAC-SHA256 signature. */
const SIGNATURE_LENGTH = 43
/** Length of a signed cookie value: `<id>.<signature>`. */
export const SIGNED_VALUE_LENGTH = SESSION_ID_LENGTH + 1 + SIGNATURE_LENGTH

/** Why a cookie value was rejected. */
export type CookieRejection = 'malformed' | 'oversized' | 'forged'

/**
 * The result of {@link KeyRing.verify}: the id, its digest (`digestId(id)`) and whether it must
 * be re-signed, or a rejection.
 */
export type VerifyResult =
  | { readonly ok: true; readonly id: string; readonly digest: string; readonly stale: boolean }
  | { readonly ok: false; readonly reason: CookieRejection }

/**
 * How many verified cookie values a ring remembers (a user's requests repeat the same one): its
 * 8,192 slots keep ~90 % of 4,096 sessions active at once (token-memo.test.ts).
 */
const RECENT_VERIFIED = 8192

/** SHA-256's block size in bytes (RFC 2104's B). */
const BLOCK = 64
/** SHA-256's output size in bytes. */
const DIGEST = 32

/**
 * One verifying key as RFC 2104 pads, so a verification is two one-shot SHA-256 calls over
 * preallocated buffers: `createHmac()` built a native Hmac object per request, ~3 µs of the
 * read path. The message written into `inner` is always a well-formed id (43 ASCII characters).
 */
interface Pads {
  /** `(K ⊕ ipad) ‖ id` */
  inner: Buffer
  /** `(K ⊕ opad) ‖ SHA-256(inner)` */
  outer: Buffer
}

function padsOf(secret: string): Pads {
  let key = Buffer.from(secret)
  if (key.length > BLOCK) key = createHash('sha256').update(key).digest()
  const inner = Buffer.alloc(BLOCK + SESSION_ID_LENGTH)
  const outer = Buffer.alloc(BLOCK + DIGEST)
  for (let index = 0; index < BLOCK; index++) {
    const byte = index < key.length ? key[index]! : 0
    inner[index] = byte ^ 0x36
    outer[index] = byte ^ 0x5c
  }
  return { inner, outer }
}

/**
 * HMAC-SHA256 signing with a rotating key ring: the first secret signs, every secret verifies,
 * and a value verified by an older secret is reported `stale` so it can be re-issued.
 */
export class KeyRing {
  readonly #signing: KeyObject
  readonly #pads: readonly Pads[]
  /**
   * The values verified last, with their results: a hit skips the HMAC's two SHA-256 per key. Only
   * successes are kept, each under the exact value that passed, and the secrets never change,
   * so a hit answers what the check would. A value not seen before (any forgery) takes the full
   * constant-time path; a hit is faster only for a value its sender already holds whole.
   */
  readonly #verified = new TokenMemo<VerifyResult>(RECENT_VERIFIED)
  /** Scratch for the decoded signature of the value being verified. */
  readonly #given = Buffer.alloc(DIGEST)
  /** Scratch for the MAC it is compared with. */
  readonly #expected = Buffer.alloc(DIGEST)

  /** @throws SessionError `SECRET_TOO_SHORT` when a secret has fewer than 32 bytes, `INVALID_OPTIONS` when none is given. */
  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : secrets
    if (!Array.isArray(list) || list.length === 0) {
      throw new SessionError('INVALID_OPTIONS', 'secret: give at least one secret of 32 bytes or more')
    }
    list.forEach((secret: unknown, index) => {
      if (typeof secret !== 'string' || Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
        throw new SessionError(
          'SECRET_TOO_SHORT',
          `secret[${index}] is shorter than ${MIN_SECRET_BYTES} bytes; use a long random string`,
        )
      }
    })
    this.#signing = createSecretKey(Buffer.from(list[0] as string))
    this.#pads = (list as readonly string[]).map(padsOf)
  }

  /** `<id>.<signature>` signed with the newest key. */
  sign(id: string): string {
    // A minted id goes through the pads like a verification (a new session or a login per
    // call); anything else through Node's Hmac.
    const mac = isWellFormedId(id)
      ? macOf(this.#pads[0]!, id, 'base64url')
      : createHmac('sha256', this.#signing).update(id).digest('base64url')
    return `${id}.${mac}`
  }

  /**
   * Checks a signed value in constant time against every key; never throws. Values verified
   * recently answer from memory.
   */
  verify(value: string): VerifyResult {
    if (value.length > SIGNED_VALUE_LENGTH) return { ok: false, reason: 'oversized' }
    if (value.length !== SIGNED_VALUE_LENGTH || value.charCodeAt(SESSION_ID_LENGTH) !== 46 /* . */) {
      return { ok: false, reason: 'malformed' }
    }
    const known = this.#verified.get(value)
    if (known !== undefined) return known
    const id = value.slice(0, SESSION_ID_LENGTH)
    if (!isWellFormedId(id)) return { ok: false, reason: 'malformed' }
    const signature = value.slice(SESSION_ID_LENGTH + 1)
    // The canonical spelling of 32 bytes has the shape of an id (43 base64url characters, the
    // last one with its 2 unused bits clear); Node's decoder would also accept aliases (other
    // characters, set low bits). This looks at the given value only, never at a key.
    if (!isWellFormedId(signature)) return { ok: false, reason: 'malformed' }
    // Both sides go through preallocated 32-byte buffers: no allocation per request.
    const given = this.#given
    given.write(signature, 0, 'base64url')
    const expected = this.#expected
    const pads = this.#pads
    for (let index = 0; index < pads.length; index++) {
      expected.write(macOf(pads[index]!, id, 'binary'), 0, 'latin1')
      if (timingSafeEqual(expected, given)) return this.#remember(value, index > 0)
    }
    return { ok: false, reason: 'forged' }
  }

  #remember(value: string, stale: boolean): VerifyResult {
    // A copy of its own: the value is a slice of the request's Cookie header, which a kept
    // slice would keep alive whole.
    const own = ownCopy(value)
    const id = own.slice(0, SESSION_ID_LENGTH)
    // The store looks the session up by the id's digest, on this request and the next ones.
    const verified: VerifyResult = { ok: true, id, digest: rememberDigest(id), stale }
    this.#verified.set(own, verified)
    return verified
  }
}

/** HMAC-SHA256 of a well-formed id with one key's pads, as latin1 text of 32 bytes or canonical base64url. */
function macOf({ inner, outer }: Pads, id: string, encoding: 'binary' | 'base64url'): string {
  // 'binary' (latin1) text carries the 32 inner digest bytes one per character, without a Buffer.
  inner.write(id, BLOCK, 'latin1')
  outer.write(hash('sha256', inner, 'binary'), BLOCK, 'latin1')
  return hash('sha256', outer, encoding)
}
