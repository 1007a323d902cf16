// The session inspector handler: reads, never writes.
import { digestId } from '@satchel/session-core'
import { inspectorPage } from '../views/inspector.mjs'

export function showInspector(rq) {
  const session = rq.session
  const stored =
    session.isNew === undefined ? session.data.length > 0 || session.auth !== null : !session.isNew
  const digest = stored ? digestId(session.id) : ''
  return inspectorPage(rq, { session, digest, stored })
}
