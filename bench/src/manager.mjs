// The session manager alone (no HTTP) on the memory store: µs per request for a read, a write and
// a new session, next to express-session's per-request session cost (cookie-signature unsign +
// MemoryStore get + touch) measured in the same run. Uses the BUILT packages (`pnpm build`).
// Runnable alone: `node bench/src/manager.mjs [--quick]`.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { createSessionManager, MemorySessionStore } from '@satchel/session-core'

const require = createRequire(import.meta.url)
const signature = require('cookie-signature')
const { MemoryStore } = require('express-session')
// express-session's own cookie parser (the version it really uses)
const cookie = createRequire(require.resolve('express-session'))('cookie')

const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!'

/**
 * Runs every case `rounds` times, interleaved (so a load spike on the shared machine hits all
 * cases alike); each round is `n` sequential calls. Returns the median µs per call of each case.
 */
async function measureAll(cases, { n, rounds }) {
  for (const op of Object.values(cases)) {
    for (let i = 0; i < Math.min(n, 2000); i++) await op(i) // warm-up
    await op.afterRound?.()
  }
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, op] of Object.entries(cases)) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < n; i++) await op(i)
      samples[name].push(Number(process.hrtime.bigint() - start) / 1000 / n)
      await op.afterRound?.()
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      values.sort((x, y) => x - y)[Math.floor(values.length / 2)],
    ]),
  )
}

function fillCart(data) {
  data.set('user.name', 'Ada Lovelace')
  data.set('user.locale', 'en-GB')
  for (let i = 0; i < 5; i++) data.set(`cart.item${i}`, `sku-${i}`, { qty: i + 1 })
}

async function satchelCases() {
  const store = new MemorySessionStore({ sweepInterval: 0 })
  const manager = createSessionManager({ secret: SECRET, store })
  // One stored session with a small cart, reached through its signed cookie.
  const first = await manager.open({ cookie: undefined, encrypted: false })
  fillCart(first.session.data)
  const header = (await first.commit())[0].split(';')[0]
  const cookieHeader = `theme=dark; ${header}`
  const freshStore = new MemorySessionStore({ sweepInterval: 0 })
  const fresh = createSessionManager({ secret: SECRET, store: freshStore })
  const cases = {
    read: async () => {
      const handle = await manager.open({ cookie: cookieHeader, encrypted: false })
      handle.session.data.get('cart.item1')
      await handle.commit()
    },
    readUntouched: async () => {
      const handle = await manager.open({ cookie: cookieHeader, encrypted: false })
      await handle.commit()
    },
    write: async (i) => {
      const handle = await manager.open({ cookie: cookieHeader, encrypted: false })
      handle.session.data.set('counter', i)
      await handle.commit()
    },
    created: Object.assign(
      async (i) => {
        const handle = await fresh.open({ cookie: undefined, encrypted: false })
        handle.session.data.set('counter', i)
        await handle.commit()
      },
      // new sessions go to their own store, emptied after each round, so the heap stays the same size
      { afterRound: () => freshStore.clear() },
    ),
    anonymous: async () => {
      const handle = await manager.open({ cookie: undefined, encrypted: false })
      await handle.commit()
    },
  }
  const close = async () => {
    await manager.close()
    await store.close()
    await freshStore.close()
  }
  return { cases, close }
}

async function expressSessionCase() {
  const store = new MemoryStore()
  const sid = 'bench-session-id-of-the-usual-length-xyz'
  const session = {
    cookie: { originalMaxAge: 86400000, expires: new Date(Date.now() + 86400000), httpOnly: true, path: '/' },
  }
  session.user = { name: 'Ada Lovelace', locale: 'en-GB' }
  session.cart = Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [`item${i}`, { sku: `sku-${i}`, qty: i + 1 }]),
  )
  await new Promise((resolve, reject) =>
    store.set(sid, session, (error) => (error ? reject(error) : resolve())),
  )
  const signed = `s:${signature.sign(sid, SECRET)}`
  const cookieHeader = `theme=dark; connect.sid=${encodeURIComponent(signed)}`
  const get = (id) =>
    new Promise((resolve, reject) =>
      store.get(id, (error, value) => (error ? reject(error) : resolve(value))),
    )
  const touch = (id, value) =>
    new Promise((resolve, reject) => store.touch(id, value, (error) => (error ? reject(error) : resolve())))
  return async () => {
    const raw = cookie.parse(cookieHeader)['connect.sid']
    const id = signature.unsign(raw.slice(2), SECRET)
    const value = await get(id)
    await touch(id, value)
  }
}

/** The manager benchmark: rows of µs per request, for `pnpm bench` and standalone use. */
export async function runManagerBench({ quick = false } = {}) {
  const sizes = quick ? { n: 2000, rounds: 5 } : { n: 10000, rounds: 9 }
  const satchel = await satchelCases()
  const results = await measureAll({ ...satchel.cases, baseline: await expressSessionCase() }, sizes)
  await satchel.close()
  const { baseline, ...ours } = results
  const ratio = (value) => Math.round((value / baseline) * 100) / 100
  const us = (value) => Math.round(value * 100) / 100
  const rows = [
    {
      case: 'satchel: read existing session (open + data.get + commit)',
      'µs/request': us(ours.read),
      'vs express-session': ratio(ours.read),
    },
    {
      case: 'satchel: existing session, data untouched',
      'µs/request': us(ours.readUntouched),
      'vs express-session': ratio(ours.readUntouched),
    },
    {
      case: 'satchel: write (open + data.set + commit → save)',
      'µs/request': us(ours.write),
      'vs express-session': ratio(ours.write),
    },
    {
      case: 'satchel: new session (open + data.set + commit → insert + Set-Cookie)',
      'µs/request': us(ours.created),
      'vs express-session': ratio(ours.created),
    },
    {
      case: 'satchel: new visitor, nothing written',
      'µs/request': us(ours.anonymous),
      'vs express-session': ratio(ours.anonymous),
    },
    {
      case: 'express-session: cookie parse + unsign + MemoryStore get + touch',
      'µs/request': us(baseline),
      'vs express-session': 1,
    },
  ]
  return {
    rows,
    notes: [
      `${sizes.n} sequential requests × ${sizes.rounds} rounds per case, rounds interleaved across cases, median round; Node ${process.version}.`,
      'satchel rows include cookie parsing, HMAC-SHA256 verification, the SHA-256 digest, the store read, lazy decoding and the commit.',
      "express-session's MemoryStore answers through setImmediate, which is part of its real cost.",
    ],
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runManagerBench({ quick: process.argv.includes('--quick') })
  console.table(result.rows)
  for (const note of result.notes) console.log(`- ${note}`)
}
