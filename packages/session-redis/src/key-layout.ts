import { createHash } from 'node:crypto'
import { SessionError } from '@satchel/session-core'

/**
 * The Redis keys of one store, all under its prefix.
 *
 * Every key puts the part that decides its cluster slot inside `{…}` (a hash tag), so a record
 * and its last-access key always live in the same slot: one `MGET` reads both and one Lua script
 * may touch both:
 *
 * | key | type | holds |
 * |---|---|---|
 * | `<prefix>s:{<digest>}` | string | `<version>:` + the encoded session record, expiring at the session's end + grace; or the tombstone `t` left by `delete`, so a late save cannot resurrect the session |
 * | `<prefix>a:{<digest>}` | string | the `lastAccess` (epoch ms) of the latest touch, expiring with the record |
 * | `<prefix>i:{<identity digest>}` | sorted set | digests of the identity's sessions, scored by their latest possible end |
 *
 * The identity index lives in the identity's slot, not the session's, so it is never written in
 * the same script as a record; see {@link RedisSessionStore} for the order that keeps it safe.
 */
export interface KeyLayout {
  /** The prefix every key starts with. */
  readonly prefix: string
  /** The key of the session record stored under `digest`. */
  record(digest: string): string
  /** The key of the last touch's `lastAccess` of the session stored under `digest`. */
  lastAccess(digest: string): string
  /** The key of the identity index of `identity`. */
  identityIndex(identity: string): string
  /** The digest inside a record key, or undefined when `key` is not a record key of this layout. */
  digestOfRecord(key: string): string | undefined
  /** A SCAN `MATCH` pattern for every record key. */
  readonly recordPattern: string
  /** A SCAN `MATCH` pattern for every key of this store (records, last-access keys, indexes). */
  readonly everyKeyPattern: string
}

/** Escapes the glob characters of Redis `MATCH` patterns (`* ? [ ] \`). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`)
}

/**
 * Builds the key layout for `prefix`. The prefix may not contain `{` or `}`, because Redis would
 * then take the hash tag from the prefix and put every session in the same slot.
 */
export function createKeyLayout(prefix: string): KeyLayout {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new SessionError('INVALID_OPTIONS', 'The Redis key prefix must be a string without "{" or "}".')
  }
  const recordHead = `${prefix}s:{`
  return {
    prefix,
    record: (digest) => `${recordHead}${digest}}`,
    lastAccess: (digest) => `${prefix}a:{${digest}}`,
    identityIndex: (identity) => `${prefix}i:{${createHash('sha256').update(identity).digest('base64url')}}`,
    digestOfRecord: (key) =>
      key.startsWith(recordHead) && key.endsWith('}') ? key.slice(recordHead.length, -1) : undefined,
    recordPattern: `${escapeGlob(recordHead)}*`,
    everyKeyPattern: `${escapeGlob(prefix)}[sai]:{*`,
  }
}
