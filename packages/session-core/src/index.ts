export { attachSession, handleOf, sessionAccessors } from './attach-session.js'
export type { AuthInfo } from './auth-snapshot.js'
export { snapshotAuth } from './auth-snapshot.js'
export { Avatar } from './avatar.js'
export { commitBeforeHead } from './commit-before-head.js'
export {
  DUMP_FORMAT,
  DUMP_VERSION,
  metaExpired,
  parseDump,
  type RestoredRecord,
  toDumpEntry,
} from './dump-format.js'
export { type CookieRejection, MIN_SECRET_BYTES } from './key-ring.js'
export { MemorySessionStore, type MemorySessionStoreOptions } from './memory-store.js'
export { requestInput } from './node-request.js'
export type { SessionCookieOptions, SessionOptions } from './options.js'
export {
  decodeRecord,
  encodeParts,
  encodeRecord,
  type RecordParts,
  readRecord,
  recordParts,
  recordSize,
  sessionFromParts,
} from './record.js'
export { replayChanges } from './replay.js'
export { type Change, Session, type SessionInit, type SessionMeta } from './session.js'
export { SESSION_ERROR_STATUS, SessionError, type SessionErrorCode } from './session-error.js'
export type { DestroyReason, SessionEvent, SessionEventType } from './session-events.js'
export { digestId, isWellFormedId, mintSessionId, SESSION_ID_LENGTH } from './session-id.js'
export {
  createSessionManager,
  type RequestSession,
  type SessionControl,
  type SessionManager,
  type SessionRequest,
  sessionOpener,
} from './session-manager.js'
export { sessionManagerFrom } from './session-manager-from.js'
export type { DumpEntry, SessionDump, SessionInfo, SessionStore, StoreEvent } from './session-store.js'
