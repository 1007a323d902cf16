// The session inspector handler: reads, never writes.
import { createHash } from 'node:crypto'
import { inspectorPage } from '../views/inspector.mjs'

export function showInspector(rq) {
  const session = rq.session
  const stored =
    session.isNew === undefined ? session.data.length > 0 || session.auth !== null : !session.isNew
  const digest = createHash('sha256').update(session.id).digest('base64url')
  return inspectorPage(rq, { session, digest, stored })
}
