import { createHash } from 'node:crypto'

/** A Lua script with its SHA-1, run by `EVALSHA` (and `EVAL` once per node when not yet cached). */
export interface LuaScript {
  /** Name used in error messages. */
  readonly name: string
  /** The Lua source. */
  readonly source: string
  /** SHA-1 of the source, as `EVALSHA` wants it. */
  readonly sha: string
}

function script(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * The stored value of a deleted session's record key. Records start with ASCII digits, so one
 * byte tells them apart; keeping the tombstone in the record's own key lets every script check
 * it with the read it needs anyway.
 */
export const TOMBSTONE = 't'

/** Results of {@link SAVE_SCRIPT}. */
export const SaveResult = {
  /** The record was written. */
  saved: 1,
  /** The record is a tombstone: the session was deleted; nothing was written. */
  tombstoned: 0,
  /** The stored version is not the expected one (or, for an insert, a record exists). */
  conflict: -1,
  /** No record (expired or evicted) and no tombstone; nothing was written. */
  missing: -2,
} as const

// Scripts read only what their decision needs: the save compares the version header (the first
// 21 bytes) instead of fetching the whole record, and the touch only its first byte.

/**
 * Versioned update. KEYS: record. ARGV: expected version, the value (`<version>:<record>`), the
 * absolute expiry in epoch ms. Writes only when the stored version is the expected one.
 */
export const SAVE_SCRIPT = script(
  'save',
  `local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if head == '${TOMBSTONE}' then return 0 end
if head == '' then return -2 end
if string.match(head, '^(%d+):') ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
return 1`,
)

/**
 * Moves a live record's expiry later (never earlier: two requests may touch out of order) and
 * records the touch's `lastAccess` beside it, expiring together. KEYS: record, last-access key
 * (same slot). ARGV: the new expiry in epoch ms, lastAccess in epoch ms. Returns 1 when moved.
 */
export const TOUCH_SCRIPT = script(
  'touch',
  `local head = redis.call('GETRANGE', KEYS[1], 0, 0)
if head == '' or head == '${TOMBSTONE}' then return 0 end
if redis.call('PEXPIREAT', KEYS[1], ARGV[1], 'GT') == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[1])
return 1`,
)

/**
 * Replaces a record with a tombstone and drops its last-access key. KEYS: record, last-access
 * key (same slot). ARGV: tombstone lifetime in ms. Returns nil, or `{ deleted value, lastAccess }`
 * (lastAccess is empty when the session was never touched).
 */
export const DELETE_SCRIPT = script(
  'delete',
  `local old = redis.call('SET', KEYS[1], '${TOMBSTONE}', 'PX', ARGV[1], 'GET')
local at = redis.call('GETDEL', KEYS[2])
if not old or old == '${TOMBSTONE}' then return false end
return { old, at or '' }`,
)

/**
 * Adds a session digest to an identity index and keeps the index alive as long as its longest
 * possible session. KEYS: index. ARGV: digest, latest possible end in epoch ms (`+inf` when the
 * session has no absolute lifetime), now in epoch ms. Entries whose end has passed are dropped.
 */
export const INDEX_ADD_SCRIPT = script(
  'index-add',
  `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local top = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
if top[2] == 'inf' then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(top[2]) - tonumber(ARGV[3])))
end
return 1`,
)

/**
 * Writes a record unconditionally, over a tombstone too, and drops any older touch (restore from
 * a dump). KEYS: record, last-access key (same slot). ARGV: the value, the absolute expiry in epoch ms.
 */
export const PUT_SCRIPT = script(
  'put',
  `redis.call('UNLINK', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1`,
)
