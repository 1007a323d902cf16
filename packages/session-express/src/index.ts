export * from '@satchel/session-core'
export { sessionMiddleware } from './session-middleware.js'
export type { ExpressSession, ExpressSessionMethods, SessionRequestHandler } from './types.js'
