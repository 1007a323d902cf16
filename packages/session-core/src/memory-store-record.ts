import { Buffer, constants } from 'node:buffer'
import type { RecordParts } from './record.js'
import type { SessionMeta } from './session.js'
import { SessionError } from './session-error.js'

// The memory store keeps each session as ONE one-byte string (a char per byte): V8 spends 16
// bytes of header on a flat string, against ~250 for a small Uint8Array and ~40 for each object,
// so a small idle session costs its key, its Map slot and this string (issue 9). The string
// never leaves the process (dumps are JSON), so its layout is free to change.
//
//   0        flags (FLAG_*)
//   1..4     coarse deadline: whole seconds, uint32 LE, a second or more before the session
//            expires (0 = unknown); lets the sweep and most reads skip decoding four floats
//   5..12    createdAt   float64 LE   (fixed offsets: expiry checks and touch read no varint)
//   13..20   lastAccess  float64 LE
//   21..28   ttl         float64 LE
//   29..36   absoluteTtl float64 LE   only with FLAG_ABSOLUTE
//   …        version     varint
//   …        auth JSON   varint length + chars (latin1), or UTF-8 bytes with FLAG_AUTH_UTF8; only with FLAG_AUTH
//   …        data        varint length + TYTX msgpack bytes; only with FLAG_DATA
//   …        avatarData  varint length + TYTX msgpack bytes; only with FLAG_AVATAR

const FLAG_ABSOLUTE = 1
const FLAG_AUTH = 2
const FLAG_AUTH_UTF8 = 4
const FLAG_DATA = 8
const FLAG_AVATAR = 16

const COARSE_DEADLINE = 1
const CREATED_AT = 5
const LAST_ACCESS = 13
const TTL = 21
const ABSOLUTE_TTL = 29

/** Reads a float64 out of eight chars (little-endian, as packRecord wrote it); allocates nothing. */
const float = new DataView(new ArrayBuffer(8))
function readFloat(record: string, at: number): number {
  for (let i = 0; i < 8; i++) float.setUint8(i, record.charCodeAt(at + i))
  return float.getFloat64(0, true)
}

// Bag bytes handed to a session are views into a shared slab, as Node's Buffer pool does (and of
// its size): a Uint8Array of its own (> 64 bytes) costs an off-heap allocation (~0.5 µs), a view
// ~20 ns. A session lives for a request, so a slab is freed soon after it fills; the store itself
// keeps no view (hot records copy theirs).
const SLAB_SIZE = 8 * 1024
/** Scopes up to this size are copied char by char into a Uint8Array of their own (cheaper than a native call). */
const SMALL_SCOPE = 16
let slab = new ArrayBuffer(SLAB_SIZE)
let slabBuffer = Buffer.from(slab)
let slabUsed = 0

/**
 * One growing buffer shared by every pack: a record is built in it, then copied out as a string.
 * Numbers go in through a DataView on it (inlined by the JIT; ~100 ns a pack less than
 * Buffer#writeDoubleLE), so it owns its ArrayBuffer (allocUnsafeSlow: not a pool slice).
 */
let scratch = Buffer.allocUnsafeSlow(1024)
let scratchView = new DataView(scratch.buffer)
function scratchOf(size: number): Buffer {
  if (scratch.length < size) {
    scratch = Buffer.allocUnsafeSlow(Math.max(size, scratch.length * 2))
    scratchView = new DataView(scratch.buffer)
  }
  return scratch
}

function varintSize(value: number): number {
  let size = 1
  while (value >= 128) {
    value = Math.floor(value / 128)
    size++
  }
  return size
}

// Arithmetic instead of bit operators: versions are safe integers, possibly beyond 32 bits.
function writeVarint(buffer: Buffer, at: number, value: number): number {
  while (value >= 128) {
    buffer[at++] = (value % 128) + 128
    value = Math.floor(value / 128)
  }
  buffer[at++] = value
  return at
}

/** Where the readers below are in the record they read (reads are synchronous: no object per read). */
let cursor = 0

/** The varint at `cursor`; moves the cursor past it. */
function readVarint(record: string): number {
  let value = 0
  let scale = 1
  for (;;) {
    const byte = record.charCodeAt(cursor++)
    value += (byte % 128) * scale
    if (byte < 128) return value
    scale *= 128
  }
}

function headerEnd(flags: number): number {
  return flags & FLAG_ABSOLUTE ? ABSOLUTE_TTL + 8 : ABSOLUTE_TTL
}

/** Code units above 0xFF need UTF-8; anything else is stored char for char. */
const WIDE = /[\u0100-\uffff]/

/**
 * Packs record parts into the store's one-string form. The string owns its bytes.
 * @throws SessionError `SESSION_TOO_LARGE` beyond the longest string the engine can make.
 */
export function packRecord(parts: RecordParts): string {
  const { meta, authJson, data, avatarData } = parts
  let flags = 0
  if (meta.absoluteTtl !== null) flags |= FLAG_ABSOLUTE
  let authBytes = 0
  if (authJson !== 'null') {
    flags |= FLAG_AUTH
    if (WIDE.test(authJson)) {
      flags |= FLAG_AUTH_UTF8
      authBytes = Buffer.byteLength(authJson, 'utf8')
    } else {
      authBytes = authJson.length
    }
  }
  if (data !== null) flags |= FLAG_DATA
  if (avatarData !== null) flags |= FLAG_AVATAR
  let size = headerEnd(flags) + varintSize(parts.version)
  if (flags & FLAG_AUTH) size += varintSize(authBytes) + authBytes
  if (data !== null) size += varintSize(data.byteLength) + data.byteLength
  if (avatarData !== null) size += varintSize(avatarData.byteLength) + avatarData.byteLength
  if (size > constants.MAX_STRING_LENGTH) {
    // A string holds at most ~512 MiB: say so in the store's terms rather than with a RangeError.
    throw new SessionError(
      'SESSION_TOO_LARGE',
      `the session is ${size} bytes, more than a memory store keeps`,
    )
  }
  const buffer = scratchOf(size)
  const view = scratchView
  buffer[0] = flags
  view.setUint32(COARSE_DEADLINE, coarseDeadline(meta), true)
  view.setFloat64(CREATED_AT, meta.createdAt, true)
  view.setFloat64(LAST_ACCESS, meta.lastAccess, true)
  view.setFloat64(TTL, meta.ttl, true)
  if (meta.absoluteTtl !== null) view.setFloat64(ABSOLUTE_TTL, meta.absoluteTtl, true)
  let at = writeVarint(buffer, headerEnd(flags), parts.version)
  if (flags & FLAG_AUTH) {
    at = writeVarint(buffer, at, authBytes)
    at += buffer.write(authJson, at, flags & FLAG_AUTH_UTF8 ? 'utf8' : 'latin1')
  }
  if (data !== null) at = writeBytes(buffer, at, data)
  if (avatarData !== null) writeBytes(buffer, at, avatarData)
  return buffer.toString('latin1', 0, size)
}

function writeBytes(buffer: Buffer, at: number, bytes: Uint8Array): number {
  at = writeVarint(buffer, at, bytes.byteLength)
  buffer.set(bytes, at)
  return at + bytes.byteLength
}

/**
 * The time from which a session with `meta` is expired: `now >= metaDeadline(meta)` is exactly
 * `metaExpired(meta, now)` (the same sums, and `now >= min(a, b)` is `now >= a || now >= b`).
 */
export function metaDeadline(meta: SessionMeta): number {
  const idle = meta.lastAccess + meta.ttl * 1000
  return meta.absoluteTtl === null ? idle : Math.min(idle, meta.createdAt + meta.absoluteTtl * 1000)
}

/**
 * Whole seconds strictly before `metaDeadline(meta)` (one second of margin absorbs the rounding
 * of the division), clamped to a uint32; 0 when the deadline is too early to say (then every
 * check decodes the times).
 */
function coarseDeadline(meta: SessionMeta): number {
  const deadline = metaDeadline(meta)
  return deadline >= 2000 ? Math.min(Math.floor(deadline / 1000) - 1, 0xffffffff) : 0
}

/** Whether the session of `record` has expired at `now`: the same answer as `metaExpired`. */
export function recordExpired(record: string, now: number): boolean {
  const coarse =
    record.charCodeAt(COARSE_DEADLINE) +
    record.charCodeAt(COARSE_DEADLINE + 1) * 0x100 +
    record.charCodeAt(COARSE_DEADLINE + 2) * 0x10000 +
    record.charCodeAt(COARSE_DEADLINE + 3) * 0x1000000
  // Well before the deadline (the usual case): no float to decode.
  if (coarse !== 0 && now < coarse * 1000) return false
  if (now >= readFloat(record, LAST_ACCESS) + readFloat(record, TTL) * 1000) return true
  return (
    (record.charCodeAt(0) & FLAG_ABSOLUTE) !== 0 &&
    now >= readFloat(record, CREATED_AT) + readFloat(record, ABSOLUTE_TTL) * 1000
  )
}

/** A fresh meta object of `record`. */
export function recordMeta(record: string): SessionMeta {
  return {
    createdAt: readFloat(record, CREATED_AT),
    lastAccess: readFloat(record, LAST_ACCESS),
    ttl: readFloat(record, TTL),
    absoluteTtl: record.charCodeAt(0) & FLAG_ABSOLUTE ? readFloat(record, ABSOLUTE_TTL) : null,
  }
}

/** The stored `lastAccess` of `record`. */
export function recordLastAccess(record: string): number {
  return readFloat(record, LAST_ACCESS)
}

/** The record version of `record`. */
export function recordVersion(record: string): number {
  cursor = headerEnd(record.charCodeAt(0))
  return readVarint(record)
}

/** Whether `record` holds an auth snapshot (and so belongs in the identity index). */
export function recordHasAuth(record: string): boolean {
  return (record.charCodeAt(0) & FLAG_AUTH) !== 0
}

/** The auth snapshot's JSON text of `record` (`'null'` for anonymous). */
export function recordAuthJson(record: string): string {
  const flags = record.charCodeAt(0)
  if ((flags & FLAG_AUTH) === 0) return 'null'
  cursor = headerEnd(flags)
  readVarint(record)
  return readAuth(record, flags)
}

function readAuth(record: string, flags: number): string {
  const length = readVarint(record)
  const start = cursor
  cursor += length
  const chars = record.slice(start, cursor)
  return flags & FLAG_AUTH_UTF8 ? Buffer.from(chars, 'latin1').toString('utf8') : chars
}

function readBytes(record: string): Uint8Array {
  const length = readVarint(record)
  const start = cursor
  cursor += length
  if (length <= SMALL_SCOPE) {
    const bytes = new Uint8Array(length)
    for (let i = 0; i < length; i++) bytes[i] = record.charCodeAt(start + i)
    return bytes
  }
  if (length > SLAB_SIZE / 8) {
    const bytes = new Uint8Array(length)
    Buffer.from(bytes.buffer, bytes.byteOffset, length).write(
      record.slice(start, cursor),
      0,
      length,
      'latin1',
    )
    return bytes
  }
  if (slabUsed + length > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE)
    slabBuffer = Buffer.from(slab)
    slabUsed = 0
  }
  const bytes = new Uint8Array(slab, slabUsed, length)
  slabBuffer.write(record.slice(start, cursor), slabUsed, length, 'latin1')
  slabUsed += length
  return bytes
}

/**
 * Unpacks `record` into record parts (with `meta` when the caller already read it). The Bags'
 * bytes are copies that later unpacks never overwrite, possibly views into a shared slab: a
 * caller that keeps them for long copies them (`slice()`).
 */
export function unpackRecord(record: string, meta: SessionMeta = recordMeta(record)): RecordParts {
  const flags = record.charCodeAt(0)
  cursor = headerEnd(flags)
  const version = readVarint(record)
  const authJson = flags & FLAG_AUTH ? readAuth(record, flags) : 'null'
  const data = flags & FLAG_DATA ? readBytes(record) : null
  const avatarData = flags & FLAG_AVATAR ? readBytes(record) : null
  return { version, meta, authJson, data, avatarData }
}

/** `record` with `lastAccess` (and so its coarse deadline) replaced; everything else byte for byte. */
export function withLastAccess(record: string, lastAccess: number): string {
  const meta = recordMeta(record)
  meta.lastAccess = lastAccess
  const buffer = scratchOf(record.length)
  buffer.write(record, 0, 'latin1')
  scratchView.setUint32(COARSE_DEADLINE, coarseDeadline(meta), true)
  scratchView.setFloat64(LAST_ACCESS, lastAccess, true)
  return buffer.toString('latin1', 0, record.length)
}
