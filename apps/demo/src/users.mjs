// The demo users. Passwords are shown on the login page on purpose: this is a demo.
import { createHash, timingSafeEqual } from 'node:crypto'

/** @type {ReadonlyArray<{ identity: string, name: string, password: string, tags: string[] }>} */
export const DEMO_USERS = Object.freeze([
  { identity: 'alice', name: 'Alice', password: 'alice-pass', tags: ['admin', 'editor'] },
  { identity: 'bob', name: 'Bob', password: 'bob-pass', tags: ['editor'] },
  { identity: 'carol', name: 'Carol', password: 'carol-pass', tags: ['user'] },
])

function digest(text) {
  return createHash('sha256').update(text).digest()
}

/** The user when identity and password match, else undefined (constant-time comparison). */
export function checkCredentials(identity, password) {
  const user = DEMO_USERS.find((candidate) => candidate.identity === identity)
  const ok = timingSafeEqual(digest(user?.password ?? '\0no-user'), digest(password))
  return user && ok ? user : undefined
}
