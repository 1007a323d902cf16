// The HTTP suite. Each server runs in its own process. Within a repetition, every session row is
// measured in `rounds` pairs of adjacent windows with its framework's bare server (kept running
// alongside), in alternating order, so a ratio to bare compares two windows a second apart: on a
// shared, noisy machine that is what keeps ratios meaningful. A row's ratio and added CPU are
// medians over all its pairs (repetitions × rounds), so one disturbed pair does not move them.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createClient } from 'redis'
import { deletePrefix } from '../redis/command-stats.mjs'
import { startChild } from '../util/child-process.mjs'
import { median } from '../util/stats.mjs'
import { measureWindow, prepareServer } from './measure-scenario.mjs'
import { readCounter } from './session-cookies.mjs'
import { scenarios, targets } from './targets.mjs'

const serverChild = fileURLToPath(new URL('./server-child.mjs', import.meta.url))

function firstLine(text) {
  return (
    String(text)
      .split('\n')
      .find((line) => line.trim() !== '') ?? String(text)
  )
}

/** The last error line the server printed, to explain a failed check. */
async function serverHint(server) {
  await sleep(100)
  const lines = server
    .stderr()
    .split('\n')
    .filter((l) => /error/i.test(l))
  return lines.length > 0 ? ` [server: ${lines.at(-1).trim().slice(0, 200)}]` : ''
}

/**
 * Runs the suite. `config` = { reps, serverWarmup, warmup, duration, connections, only, execArgv }.
 * Returns { measurements, unavailable: { targetId: reason }, failures, rows }.
 * A row with fewer windows than repetitions shows its count in `windows`.
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

  /** Starts and prepares a server; null when it cannot start or its sessions do not work. */
  async function open(target, rep) {
    const prefix = `satchel-bench:${process.pid}:${target.id}:${rep}:`
    const server = startChild(serverChild, {
      env: { BENCH_TARGET: target.id, BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: prefix, BENCH_SECRET: secret },
      execArgv: config.execArgv,
    })
    const close = async () => {
      await server.stop()
      if (target.store === 'redis') await deletePrefix(admin, prefix)
    }
    let started
    try {
      started = await server.next('started')
    } catch (error) {
      started = { ok: false, error: error.message }
    }
    if (!started.ok) {
      unavailable[target.id] = firstLine(started.error)
      failures.push({
        rep,
        target: target.id,
        scenario: 'all',
        error: `could not start: ${unavailable[target.id]}`,
      })
      log(`  rep ${rep} ${target.id}: unavailable (${unavailable[target.id]})`)
      await close()
      return null
    }
    try {
      const cookies = await prepareServer({ port: started.port, target, config })
      return { target, server, port: started.port, cookies, close }
    } catch (error) {
      const message = firstLine(error.message) + (await serverHint(server))
      failures.push({ rep, target: target.id, scenario: 'all', error: message })
      log(`  rep ${rep} ${target.id}: FAILED ${message}`)
      await close()
      return null
    }
  }

  async function measure(side, scenario, rep, pair, round = 0) {
    try {
      const m = await measureWindow({ ...side, scenario, config, admin })
      // A write row must really persist: a store that dropped writes would look fast.
      if (scenario.id === 'S2' && side.cookies.length > 0 && side.target.store !== 'cookie') {
        const n = await readCounter(side.port, side.cookies[0])
        if (!(n > 1)) throw new Error(`after S2 the session's counter reads ${n}: writes were not persisted`)
      }
      measurements.push({ rep, round, target: side.target.id, scenario: scenario.id, pair, ...m })
      log(
        `  rep ${rep}${config.rounds > 1 ? `.${round + 1}` : ''} ${side.target.id} ${scenario.id}: ` +
          `${Math.round(m.requestsPerSecond)} req/s, ` +
          `${m.cpuPerRequest?.toFixed(1)} µs CPU/req` +
          (m.redisPerRequest === null
            ? ''
            : `, Redis ${m.redisSentPerRequest.toFixed(2)} sent / ${m.redisPerRequest.toFixed(2)} server cmd/req`) +
          (m.failedShare > 0 ? `, ${(m.failedShare * 100).toFixed(1)}% failed` : ''),
      )
    } catch (error) {
      const message = firstLine(error.message) + (await serverHint(side.server))
      failures.push({ rep, target: side.target.id, scenario: scenario.id, error: message })
      log(`  rep ${rep} ${side.target.id} ${scenario.id}: FAILED ${message}`)
    }
  }

  try {
    for (let rep = 1; rep <= config.reps; rep++) {
      for (const framework of ['express', 'koa']) {
        const bareTarget = targets.find((t) => t.framework === framework && t.library === 'none')
        const others = selected.filter((t) => t.framework === framework && t.library !== 'none')
        if (others.length === 0 && !selected.includes(bareTarget)) continue
        // The bare server always runs with its framework's rows: it is their denominator.
        const bare = await open(bareTarget, rep)
        try {
          if (others.length === 0 && bare) {
            for (const scenario of scenarios) await measure(bare, scenario, rep, null)
          }
          for (const target of others) {
            const row = await open(target, rep)
            if (!row) continue
            try {
              for (const [i, scenario] of scenarios.entries()) {
                for (let round = 0; round < config.rounds; round++) {
                  const order = (rep + i + round) % 2 === 1 ? [row, bare] : [bare, row]
                  for (const side of order) if (side) await measure(side, scenario, rep, target.id, round)
                }
              }
            } finally {
              await row.close()
            }
          }
        } finally {
          await bare?.close()
        }
      }
    }
  } finally {
    await admin.close()
  }
  // A server that failed to start in one repetition (say, a package being rebuilt at that moment)
  // is tried again in the next; it is listed as unavailable only when it never ran.
  for (const id of Object.keys(unavailable)) {
    if (measurements.some((m) => m.target === id)) delete unavailable[id]
  }
  return { measurements, unavailable, failures, rows: summarize(selected, measurements) }
}

/**
 * Per target × scenario: medians over its windows. A session row's ratio and added CPU are the
 * medians of per-pair values against the bare window measured next to it (same repetition and
 * round).
 */
export function summarize(selected, measurements) {
  const rows = []
  const framesWithRows = new Set(measurements.map((m) => targets.find((t) => t.id === m.target).framework))
  const shown = targets.filter(
    (t) => selected.includes(t) || (t.library === 'none' && framesWithRows.has(t.framework)),
  )
  for (const target of shown) {
    for (const scenario of scenarios) {
      const mine = measurements.filter((m) => m.target === target.id && m.scenario === scenario.id)
      if (mine.length === 0) continue
      const ratios = []
      const cpuRatios = []
      const added = []
      if (target.library !== 'none') {
        for (const m of mine) {
          const bare = measurements.find(
            (b) =>
              b.pair === target.id &&
              b.scenario === scenario.id &&
              b.rep === m.rep &&
              (b.round ?? 0) === (m.round ?? 0) &&
              b.target !== target.id,
          )
          if (!bare) continue
          ratios.push(m.requestsPerSecond / bare.requestsPerSecond)
          if (m.cpuPerRequest !== null && bare.cpuPerRequest !== null) {
            added.push(m.cpuPerRequest - bare.cpuPerRequest)
            cpuRatios.push(bare.cpuPerRequest / m.cpuPerRequest)
          }
        }
      }
      const pick = (key) => median(mine.map((m) => m[key]))
      rows.push({
        target: target.id,
        framework: target.framework,
        label: target.label,
        library: target.library,
        store: target.store,
        scenario: scenario.id,
        windows: mine.length,
        requestsPerSecond: pick('requestsPerSecond'),
        ratioToBare: target.library === 'none' ? 1 : median(ratios),
        cpuRatioToBare: target.library === 'none' ? 1 : median(cpuRatios),
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
