import type { SessionOptions } from './options.js'
import { createSessionManager, type SessionManager } from './session-manager.js'

/**
 * The manager a binding drives: `options` itself when it already is a manager (one made with
 * `createSessionManager()`, to share it between apps or subscribe to it first), else a new
 * manager made from the options.
 *
 * @param options - the manager's options, or a manager
 * @returns the manager
 */
export function sessionManagerFrom(options: SessionOptions | SessionManager): SessionManager {
  return 'open' in options ? options : createSessionManager(options)
}
