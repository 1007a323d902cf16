// Prepares a running server (session cookies, warm-up) and measures one window on it,
// bracketed by the server's CPU time, request count and Redis command counters.
import { setTimeout as sleep } from 'node:timers/promises'
import { commandDelta, readCommandStats } from '../redis/command-stats.mjs'
import { runLoad } from './load.mjs'
import { checkNewSession, obtainSessionCookies } from './session-cookies.mjs'
import { scenarios } from './targets.mjs'

function cpuMicros(usage) {
  return usage.user + usage.system
}

/**
 * Checks the target's sessions work, returns one session cookie per connection (none for a bare
 * server), and warms the fresh process up on every scenario: a new Node process needs a couple
 * of seconds of traffic before its JIT and heap settle, and S1 would otherwise pay for it.
 */
export async function prepareServer({ port, target, config }) {
  const hasSession = target.library !== 'none'
  const cookies = hasSession ? await obtainSessionCookies(port, config.connections) : []
  if (hasSession) await checkNewSession(port)
  for (const scenario of scenarios) {
    await runLoad({
      port,
      path: scenario.path,
      cookies: scenario.cookie ? cookies : [],
      connections: config.connections,
      duration: config.serverWarmup / scenarios.length,
    })
  }
  return cookies
}

/**
 * Warms up briefly on `scenario`, then measures `config.duration` seconds. Returns req/s,
 * latency, server CPU µs per request, Redis commands per request counted two ways (sent by the
 * client = round trips; INFO commandstats, which also counts commands run inside Lua scripts;
 * both null when the target uses no Redis) and the share of responses with Set-Cookie.
 */
export async function measureWindow({ server, port, target, scenario, cookies, config, admin }) {
  const load = {
    port,
    path: scenario.path,
    cookies: scenario.cookie ? cookies : [],
    connections: config.connections,
  }
  await runLoad({ ...load, duration: config.warmup })
  // The warm-up's last requests may still be running: let them finish before the counters are
  // read, or their Redis commands land in the measured window without their responses.
  await sleep(100)

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
