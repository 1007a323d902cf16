import { Bag } from '@satchel/bag'
import { type AuthInfo, parseAuth, snapshotAuth } from './auth-snapshot.js'
import { bagFromJson, bagToJson, decodeBag, encodeBag } from './bag-codec.js'
import { authToJson, isSessionMeta, type RecordParts } from './record.js'
import type { SessionMeta } from './session.js'
import { SessionError } from './session-error.js'
import { isWellFormedDigest } from './session-id.js'
import type { DumpEntry, SessionDump } from './session-store.js'

/** The `format` tag of a session dump. */
export const DUMP_FORMAT = 'satchel-sessions'
/** The dump format version this package writes and reads. */
export const DUMP_VERSION = 1

/** One validated dump entry, ready to be stored. */
export interface RestoredRecord {
  digest: string
  /** The record parts (version 1); `encodeParts(parts)` gives the stored bytes. */
  parts: RecordParts
  /** `auth.identity`, or `'anonymous'`. */
  identity: string
  tags: readonly string[]
  /** Whether the session has auth (and so belongs in the identity index). */
  indexed: boolean
}

/** A stored record as a dump entry (Bags as TYTX JSON). @throws SessionError `CORRUPT_RECORD`. */
export function toDumpEntry(digest: string, parts: RecordParts): DumpEntry {
  return {
    digest,
    meta: { ...parts.meta },
    auth: parseAuth(parts.authJson),
    data: bagToJson(parts.data === null ? new Bag() : decodeBag(parts.data)),
    avatarData: bagToJson(parts.avatarData === null ? new Bag() : decodeBag(parts.avatarData)),
  }
}

/** Whether a session with this meta has expired at `now`. */
export function metaExpired(meta: SessionMeta, now: number): boolean {
  return (
    now >= meta.lastAccess + meta.ttl * 1000 ||
    (meta.absoluteTtl !== null && now >= meta.createdAt + meta.absoluteTtl * 1000)
  )
}

// Hostile dumps carry values whose toString/toJSON throw: describe them without calling either.
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value)
  }
  return `a value of type ${typeof value}`
}

function invalid(message: string, cause?: unknown): never {
  throw new SessionError('INVALID_DUMP', `invalid session dump: ${message}`, { cause })
}

function scopeFromJson(text: unknown, where: string): Uint8Array | null {
  if (typeof text !== 'string') invalid(`${where} must be TYTX JSON text`)
  try {
    const bag = bagFromJson(text)
    return bag.length === 0 ? null : encodeBag(bag)
  } catch (error) {
    invalid(`${where} cannot be read`, error)
  }
}

/**
 * Validates a whole dump and converts it to records, dropping entries expired at `now`.
 * Nothing is stored here: a store calls this first and writes only when it returns, so a
 * corrupt or foreign dump changes nothing.
 *
 * @throws SessionError `INVALID_DUMP`.
 */
export function parseDump(dump: unknown, now: number): RestoredRecord[] {
  if (typeof dump !== 'object' || dump === null) invalid('not an object')
  const { format, version, sessions } = dump as Partial<SessionDump>
  if (format !== DUMP_FORMAT) invalid(`format is ${describeValue(format)}, expected "${DUMP_FORMAT}"`)
  if (version !== DUMP_VERSION) invalid(`version ${describeValue(version)} is not supported`)
  if (!Array.isArray(sessions)) invalid('sessions must be an array')
  const seen = new Set<string>()
  const restored: RestoredRecord[] = []
  sessions.forEach((entry: unknown, index) => {
    const where = `sessions[${index}]`
    if (typeof entry !== 'object' || entry === null) invalid(`${where} is not an object`)
    const { digest, meta, auth, data, avatarData } = entry as Record<string, unknown>
    if (!isWellFormedDigest(digest)) invalid(`${where}.digest is not a session digest`)
    if (seen.has(digest)) invalid(`${where}.digest appears twice`)
    seen.add(digest)
    if (!isSessionMeta(meta)) invalid(`${where}.meta is invalid`)
    let snapshot: AuthInfo | null = null
    if (auth !== null) {
      try {
        snapshot = snapshotAuth(auth)
      } catch (error) {
        invalid(`${where}.auth is invalid`, error)
      }
    }
    const dataBytes = scopeFromJson(data, `${where}.data`)
    const avatarBytes = scopeFromJson(avatarData, `${where}.avatarData`)
    if (metaExpired(meta, now)) return
    const cleanMeta: SessionMeta = {
      createdAt: meta.createdAt,
      lastAccess: meta.lastAccess,
      ttl: meta.ttl,
      absoluteTtl: meta.absoluteTtl,
    }
    restored.push({
      digest,
      parts: {
        version: 1,
        meta: cleanMeta,
        authJson: authToJson(snapshot),
        data: dataBytes,
        avatarData: avatarBytes,
      },
      identity: snapshot?.identity ?? 'anonymous',
      tags: snapshot?.tags ?? [],
      indexed: snapshot !== null,
    })
  })
  return restored
}
