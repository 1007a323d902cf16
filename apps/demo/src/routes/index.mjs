// The route table both apps serve, and the one dispatch function the framework files call.
import { notFoundPage } from '../views/gated.mjs'
import { login, logout, showLogin, showSessions, signOutOthers } from './account.mjs'
import { saveDraft, showAdmin, showEditor, signOutUser } from './gated.mjs'
import { showInspector } from './inspector.mjs'
import { addItem, emptyTheCart, removeItem, showCart, showShop } from './shop.mjs'

const ROUTES = new Map([
  ['GET /', showShop],
  ['GET /cart', showCart],
  ['POST /cart/add', addItem],
  ['POST /cart/remove', removeItem],
  ['POST /cart/empty', emptyTheCart],
  ['GET /login', showLogin],
  ['POST /login', login],
  ['POST /logout', logout],
  ['GET /sessions', showSessions],
  ['POST /sessions/sign-out-others', signOutOthers],
  ['GET /inspector', showInspector],
  ['GET /editor', showEditor],
  ['POST /editor', saveDraft],
  ['GET /admin', showAdmin],
  ['POST /admin/sign-out', signOutUser],
])

/**
 * Handles one request. `rq` is the framework-neutral request: { method, path, query, form(),
 * session, avatar, sessions, userAgent, site }. Returns { status, html } or { redirect }.
 */
export async function handle(rq) {
  const method = rq.method === 'HEAD' ? 'GET' : rq.method
  const handler = ROUTES.get(`${method} ${rq.path}`)
  if (!handler) return notFoundPage(rq)
  return handler(rq)
}
