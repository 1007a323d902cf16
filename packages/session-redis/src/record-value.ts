import type { SessionMeta } from '@satchel/session-core'

const COLON = 0x3a
/** Longest version header read back (`GETRANGE 0 20` in the save script): 20 digits and `:`. */
const MAX_HEADER = 21

/**
 * The stored value of a record: the version in ASCII digits, `:`, then the encoded record. The
 * header lets the save script compare versions by reading 21 bytes instead of decoding msgpack.
 */
export function frameRecord(version: number, record: Uint8Array): Buffer {
  const header = Buffer.from(`${version}:`, 'latin1')
  return Buffer.concat([header, record])
}

/** Splits a stored value into its version and the encoded record; undefined when malformed. */
export function unframeRecord(value: Buffer): { version: number; record: Buffer } | undefined {
  const colon = value.subarray(0, MAX_HEADER).indexOf(COLON)
  if (colon < 1) return undefined
  const version = Number(value.toString('latin1', 0, colon))
  if (!Number.isSafeInteger(version) || version < 1) return undefined
  return { version, record: value.subarray(colon + 1) }
}

/** The epoch ms at which a session ends: the earlier of its idle and absolute expiries. */
export function sessionEnd(meta: Readonly<SessionMeta>): number {
  const idle = meta.lastAccess + meta.ttl * 1000
  return meta.absoluteTtl === null ? idle : Math.min(idle, meta.createdAt + meta.absoluteTtl * 1000)
}

/** The latest a session can ever end (its absolute expiry), or Infinity when it has none. */
export function latestPossibleEnd(meta: Readonly<SessionMeta>): number {
  return meta.absoluteTtl === null ? Number.POSITIVE_INFINITY : meta.createdAt + meta.absoluteTtl * 1000
}

/**
 * `lastAccess` of a stored session: the later of the record's own (written by its last save) and
 * the one its last touch left in the last-access key (a touch never rewrites the record).
 */
export function lastAccessOf(
  meta: Readonly<SessionMeta>,
  touched: Buffer | string | null | undefined,
): number {
  const at = touched === null || touched === undefined ? Number.NaN : Number(String(touched))
  return Number.isSafeInteger(at) && at > meta.lastAccess ? at : meta.lastAccess
}
