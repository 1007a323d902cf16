// How each memory store is filled with small idle sessions (one counter, like the HTTP apps).
import { randomBytes } from 'node:crypto'

/** satchel's MemorySessionStore: sessions created through the store API with `n = 1`. */
export async function satchelFactory({ ttlSeconds, sweepSeconds, capacity }) {
  const { MemorySessionStore } = await import('@satchel/session-core')
  const options = { maxSessions: capacity }
  if (ttlSeconds !== undefined) options.defaultTtl = ttlSeconds
  if (sweepSeconds !== undefined) options.sweepInterval = sweepSeconds
  const store = new MemorySessionStore(options)
  // count() sweeps before counting, so "held" is derived from the store's `expired` events
  // instead: with no request in between, only the sweep timer can have removed a session.
  let added = 0
  let expired = 0
  store.subscribe((event) => {
    if (event.type === 'expired') expired += 1
  })
  return {
    store,
    async add() {
      const session = await store.create(null)
      session.data.set('n', 1)
      await store.save(session)
      added += 1
    },
    /** Sessions still held, known without any read that could prune them. */
    held: async () => added - expired,
    /** Sessions the store reports (may prune expired ones first). */
    count: () => store.count(),
    close: () => store.close(),
  }
}

/** express-session's MemoryStore: what the middleware stores for `req.session.n = 1`. */
export async function expressSessionFactory({ ttlSeconds }) {
  const { MemoryStore, Cookie } = await import('express-session')
  const store = new MemoryStore()
  const cookieOptions = ttlSeconds === undefined ? {} : { maxAge: ttlSeconds * 1000 }
  return {
    store,
    add() {
      const id = randomBytes(24).toString('base64url')
      return new Promise((resolve, reject) => {
        store.set(id, { cookie: new Cookie(cookieOptions), n: 1 }, (error) =>
          error ? reject(error) : resolve(),
        )
      })
    },
    // The raw table: MemoryStore#length() would prune expired entries while counting.
    held: async () => Object.keys(store.sessions).length,
    count: () =>
      new Promise((resolve, reject) => store.length((error, n) => (error ? reject(error) : resolve(n)))),
    close: async () => {},
  }
}

export const factories = { satchel: satchelFactory, 'express-session': expressSessionFactory }

/**
 * Imports each store's package ahead of the factory (which then finds it in the module cache),
 * so a heap baseline taken after this counts the sessions, not the package's code: satchel
 * (with @satchel/bag and msgpackr) loads ~2.3 MB of heap, 23 B per session at 100k.
 */
export const preload = {
  satchel: () => import('@satchel/session-core'),
  'express-session': () => import('express-session'),
}
