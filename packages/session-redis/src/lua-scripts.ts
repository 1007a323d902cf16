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

// Commands used inside scripts are deliberately different from the ones the store sends itself
// (GET/GETRANGE/SET/GETDEL/ZADD… inside; EVALSHA/PEXPIREAT/SCAN/ZRANGE/ZREM outside), so that
// `INFO commandstats` tells the round trips of the store apart from the work of its scripts.

/** Results of {@link SAVE_SCRIPT}. */
export const SaveResult = {
  /** The record was written. */
  saved: 1,
  /** A tombstone exists: the session was deleted; nothing was written. */
  tombstoned: 0,
  /** The stored version is not the expected one (or, for an insert, a record exists). */
  conflict: -1,
  /** An update found no record, or one whose session is over, and no tombstone. */
  missing: -2,
} as const

/**
 * Versioned conditional save. KEYS: record, tombstone (same slot). ARGV: expected version
 * (`0` = insert), the value (`<version>:<record>`), the absolute expiry in epoch ms, now in epoch
 * ms, the grace in ms. Only the first bytes of the stored value are read, to compare versions;
 * a record whose expiry minus the grace has passed counts as missing (the session is over).
 */
export const SAVE_SCRIPT = script(
  'save',
  `if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if ARGV[1] == '0' then
  if head ~= '' then return -1 end
else
  if head == '' then return -2 end
  local at = redis.call('PEXPIRETIME', KEYS[1])
  if at >= 0 and at - tonumber(ARGV[5]) <= tonumber(ARGV[4]) then return -2 end
  if string.match(head, '^(%d+):') ~= ARGV[1] then return -1 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
return 1`,
)

/**
 * Reads a record and its absolute expiry in one round trip, without writing.
 * KEYS: record. Returns nil, or `{ value, expireAtMs }` (expireAt is negative when none).
 */
export const READ_SCRIPT = script(
  'read',
  `local value = redis.call('GET', KEYS[1])
if not value then return false end
return { value, redis.call('PEXPIRETIME', KEYS[1]) }`,
)

/**
 * Deletes a record and leaves a tombstone. KEYS: record, tombstone (same slot).
 * ARGV: tombstone lifetime in ms. Returns nil, or `{ deleted value, its expiry in epoch ms }`.
 */
export const DELETE_SCRIPT = script(
  'delete',
  `local at = redis.call('PEXPIRETIME', KEYS[1])
local old = redis.call('GETDEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
if not old then return false end
return { old, at }`,
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
 * Writes a record unconditionally and lifts its tombstone (restore from a dump).
 * KEYS: record, tombstone (same slot). ARGV: the value, the absolute expiry in epoch ms.
 */
export const PUT_SCRIPT = script(
  'put',
  `redis.call('UNLINK', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1`,
)
