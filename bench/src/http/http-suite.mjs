// The HTTP suite: every target × scenario, each server in its own process, repeated; then
// per-row medians and ratios to the same framework's bare server in the same repetition.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createClient } from 'redis'
import { deletePrefix } from '../redis/command-stats.mjs'
import { startChild } from '../util/child-process.mjs'
import { median } from '../util/stats.mjs'
import { measureScenario } from './measure-scenario.mjs'
import { scenarios, targets } from './targets.mjs'

const serverChild = fileURLToPath(new URL('./server-child.mjs', import.meta.url))

function firstLine(text) {
  return (
    String(text)
      .split('\n')
      .find((line) => line.trim() !== '') ?? String(text)
  )
}

/** Starts the target's server; resolves `{ server, port }` or `{ error }` when it cannot start. */
async function startServer(target, { redisUrl, prefix, secret, execArgv }) {
  const server = startChild(serverChild, {
    env: { BENCH_TARGET: target.id, BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: prefix, BENCH_SECRET: secret },
    execArgv,
  })
  try {
    const started = await server.next('started')
    if (started.ok) return { server, port: started.port }
    await server.stop()
    return { error: started.error }
  } catch (error) {
    await server.stop()
    return { error: String(error) }
  }
}

/**
 * Runs the suite. `config` = { reps, warmup, duration, connections, only, execArgv }.
 * Returns { measurements, unavailable: { targetId: reason }, failures, rows }.
 */
export async function runHttpSuite({ config, redisUrl, log }) {
  const admin = createClient({ url: redisUrl })
  admin.on('error', () => {})
  await admin.connect()
  const secret = `bench-${randomBytes(24).toString('hex')}`
  const selected = targets.filter((t) => !config.only || config.only.some((o) => t.id.includes(o)))
  const measurements = []
  const unavailable = {}
  const failures = []
  try {
    for (let rep = 1; rep <= config.reps; rep++) {
      for (const target of selected) {
        if (unavailable[target.id]) continue
        const prefix = `satchel-bench:${process.pid}:${target.id}:${rep}:`
        const started = await startServer(target, { redisUrl, prefix, secret, execArgv: config.execArgv })
        if (started.error) {
          unavailable[target.id] = firstLine(started.error)
          log(`  ${target.id}: unavailable (${unavailable[target.id]})`)
          continue
        }
        try {
          for (const scenario of scenarios) {
            try {
              const m = await measureScenario({ ...started, target, scenario, config, admin })
              measurements.push({ rep, target: target.id, scenario: scenario.id, ...m })
              log(
                `  rep ${rep} ${target.id} ${scenario.id}: ${Math.round(m.requestsPerSecond)} req/s, ` +
                  `${m.cpuPerRequest?.toFixed(1)} µs CPU/req` +
                  (m.redisPerRequest === null
                    ? ''
                    : `, Redis ${m.redisSentPerRequest.toFixed(2)} sent / ${m.redisPerRequest.toFixed(2)} server cmd/req`) +
                  (m.failedShare > 0 ? `, ${(m.failedShare * 100).toFixed(1)}% failed` : ''),
              )
            } catch (error) {
              failures.push({
                rep,
                target: target.id,
                scenario: scenario.id,
                error: firstLine(error.message),
              })
              log(`  rep ${rep} ${target.id} ${scenario.id}: FAILED ${firstLine(error.message)}`)
            }
          }
        } finally {
          await started.server.stop()
          if (target.store === 'redis') await deletePrefix(admin, prefix)
        }
      }
    }
  } finally {
    await admin.close()
  }
  return { measurements, unavailable, failures, rows: summarize(selected, measurements) }
}

/** Per target × scenario: medians over repetitions, with per-repetition ratios to bare. */
export function summarize(selected, measurements) {
  const find = (target, scenario, rep) =>
    measurements.find((m) => m.target === target && m.scenario === scenario && m.rep === rep)
  const rows = []
  for (const target of selected) {
    for (const scenario of scenarios) {
      const mine = measurements.filter((m) => m.target === target.id && m.scenario === scenario.id)
      if (mine.length === 0) continue
      const bareId = `${target.framework}-bare`
      const ratios = []
      const added = []
      for (const m of mine) {
        const bare = find(bareId, scenario.id, m.rep)
        if (!bare) continue
        ratios.push(m.requestsPerSecond / bare.requestsPerSecond)
        if (m.cpuPerRequest !== null && bare.cpuPerRequest !== null)
          added.push(m.cpuPerRequest - bare.cpuPerRequest)
      }
      const pick = (key) => median(mine.map((m) => m[key]))
      rows.push({
        target: target.id,
        framework: target.framework,
        label: target.label,
        library: target.library,
        store: target.store,
        scenario: scenario.id,
        reps: mine.length,
        requestsPerSecond: pick('requestsPerSecond'),
        ratioToBare: median(ratios),
        p50: pick('p50'),
        p99: pick('p99'),
        cpuPerRequest: pick('cpuPerRequest'),
        addedCpuPerRequest: target.library === 'none' ? null : median(added),
        redisPerRequest: pick('redisPerRequest'),
        redisSentPerRequest: pick('redisSentPerRequest'),
        setCookieShare: pick('setCookieShare'),
        failedShare: Math.max(...mine.map((m) => m.failedShare)),
      })
    }
  }
  return rows
}
