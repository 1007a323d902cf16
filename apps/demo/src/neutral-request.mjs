// The framework-neutral request the handlers see, built the same way by both framework files.
import { readForm } from './read-form.mjs'

/**
 * @param holder  the object carrying session/avatar/sessions (Express `req`, Koa `ctx`); read
 *                lazily so that a login shows the new session at once
 * @param request the Node IncomingMessage
 * @param url     the request URL as received (path and query)
 * @param site    what the app knows about itself: framework, other app, store
 */
export function neutralRequest(holder, request, url, site) {
  const parsed = new URL(url, 'http://demo.invalid')
  let form
  let hostname = 'localhost'
  try {
    hostname = new URL(`http://${request.headers.host ?? 'localhost'}`).hostname
  } catch {}
  return {
    method: String(request.method ?? 'GET').toUpperCase(),
    path: parsed.pathname,
    query: parsed.searchParams,
    form: () => {
      form ??= readForm(request)
      return form
    },
    get session() {
      return holder.session
    },
    get avatar() {
      return holder.avatar
    },
    get sessions() {
      return holder.sessions
    },
    userAgent: request.headers['user-agent'],
    site: {
      ...site,
      other: site.otherPort
        ? { framework: site.otherFramework, url: `http://${hostname}:${site.otherPort}` }
        : null,
    },
  }
}
