// Measures one scenario on a running server: prepare cookies, warm up, then a measured window
// bracketed by server CPU and Redis command counters.
import { setTimeout as sleep } from 'node:timers/promises'
import { commandDelta, readCommandStats } from '../redis/command-stats.mjs'
import { runLoad } from './load.mjs'
import { checkNewSession, obtainSessionCookies } from './session-cookies.mjs'

function cpuMicros(usage) {
  return usage.user + usage.system
}

/**
 * Returns one measurement: req/s, latency, server CPU µs per request, Redis commands per request
 * (null when the target uses no Redis) counted two ways: on the server (INFO commandstats, which
 * includes commands run inside Lua scripts) and as sent by the client (round trips), and the
 * share of responses with Set-Cookie.
 */
export async function measureScenario({ server, port, target, scenario, config, admin }) {
  const hasSession = target.library !== 'none'
  let cookies = []
  if (hasSession && scenario.cookie) cookies = await obtainSessionCookies(port, config.connections)
  if (hasSession && !scenario.cookie) await checkNewSession(port)

  const load = { port, path: scenario.path, cookies, connections: config.connections }
  await runLoad({ ...load, duration: config.warmup })

  const usesRedis = target.store === 'redis'
  const statsBefore = usesRedis ? await readCommandStats(admin) : null
  const before = await server.ask('cpu')
  const result = await runLoad({ ...load, duration: config.duration })
  // Let requests still in flight when the load stopped finish, so the server-side counts
  // below (requests, CPU, Redis commands) describe the same set of requests.
  await sleep(100)
  const after = await server.ask('cpu')
  const statsAfter = usesRedis ? await readCommandStats(admin) : null

  const redis = usesRedis ? commandDelta(statsBefore, statsAfter) : null
  const failed = result.non2xx + result.errors
  const served = after.requests - before.requests
  return {
    ...result,
    served,
    cpuPerRequest: served > 0 ? (cpuMicros(after.usage) - cpuMicros(before.usage)) / served : null,
    redisPerRequest: redis && served > 0 ? redis.total / served : null,
    redisSentPerRequest: usesRedis && served > 0 ? (after.redisSent - before.redisSent) / served : null,
    redisByCommand: redis?.byCommand ?? null,
    failedShare: result.requests + result.errors > 0 ? failed / (result.requests + result.errors) : 1,
  }
}
