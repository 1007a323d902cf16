import { hash, randomFillSync } from 'node:crypto'
import { ownCopy, RecentResults } from './recent-results.js'

/** Bytes of CSPRNG output in one session id (256 bits). */
const ID_BYTES = 32
/** Length of a base64url id of {@link ID_BYTES} bytes, without padding. */
export const SESSION_ID_LENGTH = 43
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/**
 * The shape of an id, `/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/`, as a table by character code:
 * 1 = a base64url character, 2 = one that may also end an id (its value is a multiple of 4: the
 * last character carries 2 significant bits).
 */
const SHAPE = new Uint8Array(128)
for (let value = 0; value < 64; value++) SHAPE[BASE64URL.charCodeAt(value)] = value % 4 === 0 ? 2 : 1
const POOL_SIZE = ID_BYTES * 128

let pool = Buffer.allocUnsafe(POOL_SIZE)
let poolOffset = POOL_SIZE

/**
 * Mints a new session id: 32 bytes (256 bits) from the operating system's CSPRNG, base64url,
 * 43 characters. Random bytes are drawn in blocks (like `crypto.randomUUID` does) and never reused.
 */
export function mintSessionId(): string {
  if (poolOffset + ID_BYTES > POOL_SIZE) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE))
    poolOffset = 0
  }
  const id = pool.toString('base64url', poolOffset, poolOffset + ID_BYTES)
  pool.fill(0, poolOffset, poolOffset + ID_BYTES)
  poolOffset += ID_BYTES
  return id
}

/**
 * Whether `value` has exactly the shape {@link mintSessionId} produces: 43 base64url characters
 * encoding 32 bytes (the last character carries only 2 significant bits).
 */
export function isWellFormedId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== SESSION_ID_LENGTH) return false
  // A table walk instead of a regular expression: this runs two or three times per request,
  // and the RegExp call cost more than the check itself. Codes past the table read undefined.
  for (let index = 0; index < SESSION_ID_LENGTH - 1; index++) {
    if (!SHAPE[value.charCodeAt(index)]) return false
  }
  return SHAPE[value.charCodeAt(SESSION_ID_LENGTH - 1)] === 2
}

/**
 * The SHA-256 digest of a session id, base64url (43 characters). Stores key sessions by this
 * value only, so a store or a dump never holds a usable token.
 */
export function digestId(id: string): string {
  return recentDigests.get(id) ?? hash('sha256', id, 'base64url')
}

/**
 * The digests of the ids of recently verified cookies (see {@link rememberDigest}): a store
 * digests the id of every request's cookie again. Ids never verified (a new session's) are not
 * kept: a session that does not come back would only churn the memo.
 */
const recentDigests = new RecentResults<string>(4096)

/**
 * @internal Keeps the digest of `id`, the id of a cookie that just passed verification, for the
 * store lookups of this and the session's next requests, and returns it. Ids of any other shape
 * are not kept.
 */
export function rememberDigest(id: string): string {
  const known = recentDigests.get(id)
  if (known !== undefined) return known
  // A copy of its own: an id may be a slice of a larger string (a header).
  const own = ownCopy(id)
  const digest = hash('sha256', own, 'base64url')
  if (isWellFormedId(own)) recentDigests.set(own, digest)
  return digest
}

/** Whether `value` has the shape of a {@link digestId} result. */
export function isWellFormedDigest(value: unknown): value is string {
  return isWellFormedId(value)
}
