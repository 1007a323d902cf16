// Login, logout and "My sessions" handlers.
import { browserName } from '../browser-name.mjs'
import { checkCredentials } from '../users.mjs'
import { loginPage, sessionsPage } from '../views/account.mjs'

export function showLogin(rq) {
  return loginPage(rq)
}

export async function login(rq) {
  const form = await rq.form()
  const identity = form.get('identity') ?? ''
  const user = checkCredentials(identity, form.get('password') ?? '')
  if (!user) return { ...loginPage(rq, { error: 'Unknown user or wrong password.', identity }), status: 401 }
  const userAgent = rq.userAgent ?? ''
  // A new session id carrying this auth snapshot; the cart (session.data) comes along.
  await rq.sessions.login(
    { identity: user.identity, tags: [...user.tags], name: user.name, userAgent, signedInAt: Date.now() },
    { keepData: true },
  )
  rq.avatar.data.set('browser', browserName(userAgent), { userAgent, signedInAt: new Date() })
  return { redirect: '/' }
}

export async function logout(rq) {
  await rq.sessions.logout()
  return { redirect: '/' }
}

/**
 * The User-Agent each listed session signed in with (kept in its auth snapshot at login), by
 * digest. A `SessionInfo` carries no auth, so when the listing lacks it the demo reads it from
 * the store's dump (fine for a demo's few sessions; an app would keep its own index).
 */
async function userAgents(listed, rq) {
  const known = new Map()
  for (const info of listed) {
    const userAgent = info.userAgent ?? info.auth?.userAgent
    if (typeof userAgent === 'string') known.set(info.digest, userAgent)
  }
  if (listed.every((info) => known.has(info.digest))) return known
  const wanted = new Set(listed.map((info) => info.digest))
  for (const entry of (await rq.site.store.dump()).sessions) {
    const userAgent = entry.auth?.userAgent
    if (wanted.has(entry.digest) && typeof userAgent === 'string') known.set(entry.digest, userAgent)
  }
  return known
}

export async function showSessions(rq) {
  if (rq.avatar.isAnonymous) return { redirect: '/login' }
  const listed = await rq.sessions.list()
  const agents = await userAgents(listed, rq)
  const sessions = listed
    .map((info) => ({ ...info, browser: browserName(agents.get(info.digest)) }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.meta.lastAccess - a.meta.lastAccess)
  const signedOut = rq.query.get('signedOut')
  return sessionsPage(rq, sessions, signedOut === null ? {} : { signedOut: Number(signedOut) })
}

export async function signOutOthers(rq) {
  if (rq.avatar.isAnonymous) return { redirect: '/login' }
  const count = await rq.sessions.logoutEverywhere({ keepCurrent: true })
  return { redirect: `/sessions?signedOut=${count}` }
}
