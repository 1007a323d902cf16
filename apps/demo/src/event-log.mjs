// Prints the session manager's interesting events, so the terminal shows what the pages do:
// sessions created lazily, ids regenerated at login, forged cookies rejected, and so on.
import { digestId } from '@satchel/session-core'

const short = (digest) => `${digest.slice(0, 8)}…`

function describe(event) {
  switch (event.type) {
    case 'created':
      return `created ${short(digestId(event.session.id))} for ${event.session.avatar.identity}`
    case 'regenerated':
      return `new id ${short(digestId(event.session.id))} for ${event.session.avatar.identity} (${event.reason}${
        event.previousDigest ? `, was ${short(event.previousDigest)}` : ''
      })`
    case 'destroyed':
      return `destroyed ${short(event.digest)} (${event.reason})`
    case 'expired':
    case 'evicted':
      return `${event.type} ${short(event.digest)}`
    case 'cookieRejected':
      return `cookie rejected (${event.reason}): treated as a new visitor`
    case 'storeError':
      return `store error during ${event.operation}: ${event.error.message}`
    case 'insecureCookie':
      return `a Secure cookie "${event.cookieName}" went over plain http`
    default:
      return undefined
  }
}

/** Subscribes a console logger to `manager`; returns the unsubscribe function. */
export function logSessionEvents(manager, log = console.log) {
  return manager.subscribe((event) => {
    const text = describe(event)
    if (text) log(`satchel demo: session ${text}`)
  })
}
