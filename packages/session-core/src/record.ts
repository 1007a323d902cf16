import { Packr } from 'msgpackr'
import { type AuthInfo, parseAuth } from './auth-snapshot.js'
import {
  hydrateSession,
  type Session,
  type SessionMeta,
  type SessionTemplates,
  scopeBytes,
} from './session.js'
import { SessionError } from './session-error.js'

const packr = new Packr({ useRecords: false, moreTypes: false })

/** The decoded outer layer of a record; the Bags stay encoded (TYTX msgpack, or null when empty). */
export interface RecordParts {
  version: number
  meta: SessionMeta
  /** The auth snapshot as JSON text (`'null'` for anonymous). */
  authJson: string
  data: Uint8Array | null
  avatarData: Uint8Array | null
}

const authText = new WeakMap<object, string>()

/** JSON text of a (frozen) auth snapshot, cached per snapshot. */
export function authToJson(auth: AuthInfo | null): string {
  if (auth === null) return 'null'
  let text = authText.get(auth)
  if (text === undefined) {
    text = JSON.stringify(auth)
    authText.set(auth, text)
  }
  return text
}

/**
 * Encodes a session as a store record: msgpack of
 * `{ v: 1, ver, m: meta, a: <auth JSON>, d: <data TYTX msgpack | null>, av: <avatar data | null> }`.
 * Bags that did not change since they were loaded or last encoded are not re-encoded.
 *
 * @throws SessionError `NOT_SERIALIZABLE` when the data holds a value no store can persist.
 */
export function encodeRecord(session: Session, version: number): Uint8Array {
  return encodeParts(recordParts(session, version))
}

/**
 * The parts of a session's record without the outer msgpack layer (the memory store keeps
 * these). Bags that did not change since they were loaded or last encoded are not re-encoded.
 *
 * @throws SessionError `NOT_SERIALIZABLE` when the data holds a value no store can persist.
 */
export function recordParts(session: Session, version: number): RecordParts {
  const meta = session.meta
  return {
    version,
    meta: {
      createdAt: meta.createdAt,
      lastAccess: meta.lastAccess,
      ttl: meta.ttl,
      absoluteTtl: meta.absoluteTtl,
    },
    authJson: authToJson(session.auth),
    data: scopeBytes(session, 'data') ?? null,
    avatarData: scopeBytes(session, 'avatar') ?? null,
  }
}

/** Approximate encoded size of record parts in bytes (the Bags, the auth text and ~64 bytes of framing). */
export function recordSize(parts: RecordParts): number {
  return sizeOf(parts.data, parts.avatarData, parts.authJson)
}

/** The Bags' bytes, the auth text and ~64 bytes of framing. */
function sizeOf(
  data: Uint8Array | null | undefined,
  avatarData: Uint8Array | null | undefined,
  authJson: string,
): number {
  return (data?.byteLength ?? 0) + (avatarData?.byteLength ?? 0) + authJson.length + 64
}

/** {@link recordSize} of the session's record as it would be written now, without building its parts. */
export function sessionRecordSize(session: Session): number {
  return sizeOf(scopeBytes(session, 'data'), scopeBytes(session, 'avatar'), authToJson(session.auth))
}

/** Encodes record parts (see {@link encodeRecord}); the result owns its memory. */
export function encodeParts(parts: RecordParts): Uint8Array {
  const { meta } = parts
  const packed = packr.pack({
    v: 1,
    ver: parts.version,
    m: {
      createdAt: meta.createdAt,
      lastAccess: meta.lastAccess,
      ttl: meta.ttl,
      absoluteTtl: meta.absoluteTtl,
    },
    a: parts.authJson,
    d: parts.data,
    av: parts.avatarData,
  })
  return new Uint8Array(packed)
}

function corrupt(reason: string, cause?: unknown): never {
  throw new SessionError('CORRUPT_RECORD', `stored session record is corrupt: ${reason}`, { cause })
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const isSeconds = (value: unknown): value is number => isTime(value) && value > 0

/** Whether `value` is valid session metadata. */
export function isSessionMeta(value: unknown): value is SessionMeta {
  if (typeof value !== 'object' || value === null) return false
  const meta = value as Record<string, unknown>
  return (
    isTime(meta.createdAt) &&
    isTime(meta.lastAccess) &&
    isSeconds(meta.ttl) &&
    (meta.absoluteTtl === null || isSeconds(meta.absoluteTtl))
  )
}

/** Decodes the outer layer of a record. @throws SessionError `CORRUPT_RECORD`. */
export function readRecord(bytes: Uint8Array): RecordParts {
  let raw: unknown
  try {
    raw = packr.unpack(bytes)
  } catch (error) {
    corrupt('not msgpack', error)
  }
  if (typeof raw !== 'object' || raw === null) corrupt('not a map')
  const record = raw as Record<string, unknown>
  if (record.v !== 1) corrupt(`unknown record format ${String(record.v)}`)
  const { ver, m, a, d, av } = record
  if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 1) corrupt('bad version')
  if (!isSessionMeta(m)) corrupt('bad meta')
  if (typeof a !== 'string') corrupt('bad auth')
  if (!(d === null || d instanceof Uint8Array) || !(av === null || av instanceof Uint8Array))
    corrupt('bad data')
  return {
    version: ver,
    meta: { createdAt: m.createdAt, lastAccess: m.lastAccess, ttl: m.ttl, absoluteTtl: m.absoluteTtl },
    authJson: a,
    data: d,
    avatarData: av,
  }
}

/** A Session from record parts; its Bags are decoded on first access. */
export function sessionFromParts(parts: RecordParts, id: string): Session {
  return hydrateParts(parts, id, undefined)
}

/**
 * @internal Like {@link sessionFromParts}, with decoded `templates` a store keeps for hot records:
 * the session deep-copies them instead of decoding its bytes.
 */
export function hydrateParts(
  parts: RecordParts,
  id: string,
  templates: SessionTemplates | undefined,
): Session {
  let auth: AuthInfo | null
  try {
    auth = parseAuth(parts.authJson)
  } catch (error) {
    corrupt('bad auth', error)
  }
  return hydrateSession(
    id,
    parts.meta,
    auth,
    parts.version,
    parts.data ?? undefined,
    parts.avatarData ?? undefined,
    templates,
  )
}

/**
 * Decodes a store record into a Session with the raw `id` the caller looked it up by. The Bags
 * are decoded lazily, on first access to `session.data` / `session.avatar.data`.
 *
 * @throws SessionError `CORRUPT_RECORD` when the bytes are not a valid record.
 */
export function decodeRecord(bytes: Uint8Array, id: string): Session {
  return sessionFromParts(readRecord(bytes), id)
}
