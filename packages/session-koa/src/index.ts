export * from '@satchel/session-core'
export { sessionMiddleware } from './session-middleware.js'
export type { SessionContext, SessionKoaMiddleware } from './types.js'
