// Command budget of the Redis store, measured on the server with `INFO commandstats` deltas.
// Uses the BUILT packages (run `pnpm build` first). Runnable alone: `node bench/src/redis-commands.mjs`.
//
// It starts a private redis-server on a spare port (so no other client adds to the counters);
// see ./redis/private-redis.mjs for BENCH_REDIS_URL and the fallback to the shared server.
import { pathToFileURL } from 'node:url'
import { createSessionManager } from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { createClient } from 'redis'
import { commandDelta, readCommandStats } from './redis/command-stats.mjs'
import { startBenchRedis } from './redis/private-redis.mjs'
import { countSentCommands } from './redis/sent-commands.mjs'

const REPEAT = 50
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!'
const TTL = 3600
const TOUCH_AFTER = 360

// Data-changing commands, whether the store sends them or one of its Lua scripts runs them.
const WRITES = new Set([
  'set',
  'getdel',
  'pexpireat',
  'pexpire',
  'persist',
  'zadd',
  'zrem',
  'zremrangebyscore',
  'unlink',
  'del',
])

const cookieOf = (setCookies) => setCookies.map((value) => value.split(';')[0]).join('; ')

/**
 * Measures the Redis commands one request costs through the session manager with the Redis store.
 * @returns `{ rows, notes }`; rows `{ request, sent, serverCommands, writes, detail, budget, ok }`
 *   are averages per request over REPEAT requests.
 */
export async function runRedisCommandBench() {
  const server = await startBenchRedis()
  const url = server.url
  const client = createClient({ url })
  client.on('error', () => {})
  const admin = createClient({ url })
  admin.on('error', () => {})
  await Promise.all([client.connect(), admin.connect()])
  const prefix = `satchel-bench:${process.pid}:`
  let clock = Date.now()
  const store = new RedisSessionStore({ client, prefix })
  const manager = createSessionManager({
    secret: SECRET,
    store,
    ttl: TTL,
    touchAfter: TOUCH_AFTER,
    now: () => clock,
  })
  const rows = []
  try {
    const request = async (cookie, act) => {
      const handle = await manager.open({ cookie, encrypted: true })
      await act(handle)
      return handle.commit()
    }
    // One session per repetition, made before measuring (this also loads the scripts).
    const cookies = []
    for (let i = 0; i < REPEAT + 1; i++) {
      cookies.push(cookieOf(await request(undefined, (h) => h.session.data.set('cart.items', i))))
    }
    // Warm-up: run each script once so EVALSHA finds it cached (the first call of each script
    // on a server costs one extra EVAL; after that every call is a single EVALSHA).
    await request(cookies[REPEAT], (h) => h.session.data.set('warm', 1))
    await request(cookies[REPEAT], (h) => h.sessions.login({ identity: 'warm-up' }))
    const sentSoFar = countSentCommands(client)
    const measure = async (label, budget, run) => {
      const before = await readCommandStats(admin)
      const sentBefore = sentSoFar()
      for (let i = 0; i < REPEAT; i++) await run(i)
      const sent = (sentSoFar() - sentBefore) / REPEAT
      const diff = commandDelta(before, await readCommandStats(admin)).byCommand
      const sum = (pick) =>
        Object.entries(diff).reduce((total, [name, calls]) => (pick(name) ? total + calls : total), 0)
      const row = {
        request: label,
        sent,
        serverCommands: sum(() => true) / REPEAT,
        writes: sum((name) => WRITES.has(name)) / REPEAT,
        detail: Object.entries(diff)
          .map(([name, calls]) => `${name} ${calls / REPEAT}`)
          .join(', '),
        budget: budget.text,
      }
      row.ok = budget.check(row)
      rows.push(row)
    }
    await measure('new visitor, nothing written', { text: '0', check: (r) => r.serverCommands === 0 }, () =>
      request(undefined, (h) => h.session.data.get('cart')),
    )
    await measure(
      'new anonymous session (writes)',
      { text: '≤ 2', check: (r) => r.serverCommands <= 2 },
      (i) => request(undefined, (h) => h.session.data.set('first', i)),
    )
    const readBudget = { text: '1, no write', check: (r) => r.serverCommands === 1 && r.writes === 0 }
    await measure('read', readBudget, (i) => request(cookies[i], (h) => h.session.data.get('cart.items')))
    // A versioned write needs a Lua script (the issue asks for one), and INFO commandstats counts
    // the commands a script runs too: the budget is checked on both counts, and shown.
    await measure('write', { text: '≤ 2', check: (r) => r.serverCommands <= 2 }, (i) =>
      request(cookies[i], (h) => h.session.data.set('cart.items', i + 100)),
    )
    clock += (TOUCH_AFTER + 1) * 1000
    await measure(
      `read after touchAfter (${TOUCH_AFTER} s)`,
      { text: '— (one touch per touchAfter)', check: () => true },
      (i) => request(cookies[i], (h) => h.session.data.get('cart.items')),
    )
    await measure('read again (touched)', readBudget, (i) =>
      request(cookies[i], (h) => h.session.data.get('cart.items')),
    )
    await measure('login (new id, old one deleted)', { text: '— (not budgeted)', check: () => true }, (i) =>
      request(cookies[i], (h) => h.sessions.login({ identity: `user${i}` })),
    )
  } finally {
    await store.clear().catch(() => {})
    client.destroy()
    admin.destroy()
    await server.stop()
  }
  const notes = [
    `INFO commandstats deltas over ${REPEAT} requests each, on ${server.private ? 'a private redis-server' : url}.`,
    'sent = commands the store sends (round trips); server = the INFO commandstats delta, which also counts the commands its Lua scripts run inside Redis. The budget is checked on server.',
    'writes = data-changing commands, inside scripts or not.',
  ]
  return { rows, notes }
}

/** Prints the rows as a table. */
export function printRedisCommandTable(rows) {
  console.log('\nRedis commands per request (sent by the store; INFO commandstats deltas)')
  console.table(
    rows.map((row) => ({
      request: row.request,
      sent: row.sent,
      server: row.serverCommands,
      writes: row.writes,
      budget: row.budget,
      ok: row.ok ? 'yes' : 'NO',
      detail: row.detail,
    })),
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows, notes } = await runRedisCommandBench()
  printRedisCommandTable(rows)
  for (const note of notes) console.log(`- ${note}`)
  if (rows.some((row) => !row.ok)) process.exitCode = 1
}
