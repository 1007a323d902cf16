// Issue 10 §4: Redis dies under load → 503 within the configured timeout, no crash, no hanging
// socket; Redis comes back → service resumes, and every write answered 2xx before is still there.
import { randomBytes } from 'node:crypto'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type ChildServer, startChild } from './fixtures/children.js'
import { type Answer, cookiePair, idOf, send } from './fixtures/http.js'
import { connect, type DurableRedis, startDurableRedis } from './fixtures/redis.js'
import { LONG } from './fixtures/sizes.js'

/** The store's `commandTimeout` in the servers, in ms. */
const TIMEOUT = 500
/** Scheduling slack on a shared two-core machine, on top of the timeout. */
const SLACK = 1000
const WORKERS_PER_SERVER = 8
const CYCLES = LONG ? 5 : 1
const UP_MS = LONG ? 5000 : 1500
const DOWN_MS = LONG ? 5000 : 2500

const prefix = `satchel-stress:faults:${randomBytes(4).toString('hex')}:`
let redis: DurableRedis | undefined
let servers: ChildServer[] = []

beforeAll(async () => {
  redis = await startDurableRedis()
  const env = {
    STRESS_REDIS_URL: redis.url,
    STRESS_PREFIX: prefix,
    STRESS_SECRET: randomBytes(32).toString('hex'),
    STRESS_COMMAND_TIMEOUT: String(TIMEOUT),
  }
  servers = await Promise.all([startChild('express', env), startChild('koa', env)])
})
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()))
  await redis?.dispose()
})

interface Outcome {
  server: number
  answer: Answer | undefined
  /** A socket error or no complete answer within the deadline. */
  failure: unknown
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('answers 503 within the timeout while Redis is down, recovers when it is back, and loses no acknowledged write', async () => {
  const outcomes: Outcome[] = []
  const acknowledged: { id: string; path: string }[] = []
  let running = true

  // Each worker keeps writing new paths into its own session (a new one until a write succeeds).
  const worker = async (server: number, name: string) => {
    let cookie: string | undefined
    for (let n = 0; running; n++) {
      const path = `${name}n${n}`
      try {
        const answer = await send(servers[server]!.port, `/set?path=${path}`, { method: 'POST', cookie })
        outcomes.push({ server, answer, failure: undefined })
        if (answer.status === 200) {
          cookie ??= cookiePair(answer.setCookie)
          acknowledged.push({ id: idOf(cookie!), path })
        }
      } catch (failure) {
        outcomes.push({ server, answer: undefined, failure })
      }
      await sleep(20)
    }
  }
  const load = servers.flatMap((_, server) =>
    Array.from({ length: WORKERS_PER_SERVER }, (_, w) => worker(server, `s${server}w${w}`)),
  )

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await sleep(UP_MS)
    await redis!.kill()
    await sleep(DOWN_MS)
    await redis!.start()
    const restarted = outcomes.length
    // Service resumes: both servers answer writes with 200 again.
    const deadline = Date.now() + 15_000
    for (;;) {
      const later = outcomes.slice(restarted)
      const ok = [0, 1].every((server) => later.some((o) => o.server === server && o.answer?.status === 200))
      if (ok) break
      if (Date.now() > deadline) throw new Error('service did not resume within 15 s of Redis coming back')
      await sleep(50)
    }
  }
  await sleep(500)
  running = false
  await Promise.all(load)

  // No crash, no hanging request, nothing but 200 and 503.
  expect(servers.map((server) => server.alive)).toEqual([true, true])
  expect(servers.map((server) => server.stderr)).toEqual(['', ''])
  expect(outcomes.filter((o) => o.failure !== undefined).map((o) => String(o.failure))).toEqual([])
  const statuses = new Set(outcomes.map((o) => o.answer!.status))
  expect([...statuses].sort()).toEqual([200, 503])

  // While Redis was down: 503s from both servers, each within the timeout.
  const unavailable = outcomes.filter((o) => o.answer!.status === 503)
  expect(new Set(unavailable.map((o) => o.server))).toEqual(new Set([0, 1]))
  expect(unavailable.map((o) => JSON.parse(o.answer!.body).error)).toEqual(
    unavailable.map(() => 'STORE_UNAVAILABLE'),
  )
  const slowest = Math.max(...unavailable.map((o) => o.answer!.ms))
  expect(slowest).toBeLessThan(TIMEOUT + SLACK)

  // No socket left open in either server once the load is over (the /stats request is the only one).
  for (const server of servers) {
    const stats = await send(server.port, '/stats')
    expect(JSON.parse(stats.body)).toEqual({ connections: 1 })
  }

  // Every acknowledged write survived the kill and the restart.
  const client = await connect(redis!.url)
  try {
    const store = new RedisSessionStore({ client, prefix })
    const sessions = new Map<string, Awaited<ReturnType<typeof store.get>>>()
    for (const { id } of acknowledged) if (!sessions.has(id)) sessions.set(id, await store.get(id))
    const lost = acknowledged.filter(({ id, path }) => sessions.get(id)?.data.get(path) !== true)
    expect(lost).toEqual([])
    expect(acknowledged.length).toBeGreaterThan(100)
  } finally {
    client.destroy()
  }
  console.info(
    `store faults: ${outcomes.length} requests, ${acknowledged.length} acknowledged writes, ` +
      `${unavailable.length} answered 503 (slowest ${Math.round(slowest)} ms, timeout ${TIMEOUT} ms)`,
  )
})
