// A quick side-by-side of a few HTTP targets, for working on the per-request cost: each target
// runs in its own server process (the same one `pnpm bench` uses), windows alternate between
// targets, and the table shows the median req/s and server CPU µs per request and, per
// framework, the ratio to that framework's bare server. No Redis: memory and cookie targets only.
// Uses the BUILT packages. Usage:
//   node src/http/compare.mjs [--targets express-bare,express-satchel-memory] [--scenarios S1,S3]
//                             [--reps 5] [--duration 1] [--profile] [--node-flags=--single-threaded-gc]
//                             [--base /tmp/base] [--pin]
// With --base, a target written `<id>@base` runs from that other checkout (built, for example a
// `git worktree` of an older commit), so a change is measured against the code before it in the
// same interleaved windows: `--targets express-bare,express-satchel-memory@base,express-satchel-memory`.
// --pin (Linux `taskset`) keeps every server, its helper threads included, on CPU 1 and the load
// on CPU 0: steadier pairs, and a larger share for whatever competes with a server's main thread.
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { pinApart, startChild } from '../util/child-process.mjs'
import { median } from '../util/stats.mjs'
import { runLoad } from './load.mjs'
import { obtainSessionCookies } from './session-cookies.mjs'
import { scenarios as allScenarios, hasSessions } from './targets.mjs'

const { values } = parseArgs({
  options: {
    targets: {
      type: 'string',
      default: 'express-bare,express-satchel-memory,koa-bare,koa-satchel-memory',
    },
    scenarios: { type: 'string', default: 'S1,S2,S3' },
    reps: { type: 'string', default: '5' },
    duration: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    // Extra V8/Node flags for every server, to ask what a cost is made of (say, GC helper threads).
    'node-flags': { type: 'string', default: '' },
    base: { type: 'string' },
    pin: { type: 'boolean', default: false },
  },
})
const targetIds = values.targets.split(',')
const scenarios = allScenarios.filter((s) => values.scenarios.split(',').includes(s.id))
const reps = Number(values.reps)
const duration = Number(values.duration)
const connections = 10
const serverChild = fileURLToPath(new URL('./server-child.mjs', import.meta.url))
const profiles = fileURLToPath(new URL('../../results/profiles/', import.meta.url))
const secret = `bench-${randomBytes(24).toString('hex')}`

/** The server script and target id of `<id>` or `<id>@base`. */
function locate(id) {
  if (!id.endsWith('@base')) return { script: serverChild, target: id }
  if (!values.base) throw new Error(`${id}: give --base <checkout>`)
  return {
    script: fileURLToPath(new URL('bench/src/http/server-child.mjs', `file://${resolve(values.base)}/`)),
    target: id.slice(0, -'@base'.length),
  }
}

const servers = []
for (const id of targetIds) {
  const { script, target } = locate(id)
  const server = startChild(script, {
    env: { BENCH_TARGET: target, BENCH_SECRET: secret },
    execArgv: [
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []),
      ...values['node-flags'].split(' ').filter(Boolean),
    ],
  })
  const started = await server.next('started')
  if (!started.ok) throw new Error(`${id}: ${started.error}`)
  if (values.pin) pinApart(server.child.pid)
  const cookies = hasSessions(target) ? await obtainSessionCookies(started.port, connections) : []
  servers.push({ id, server, port: started.port, cookies })
}

async function window(entry, scenario, seconds) {
  const load = {
    port: entry.port,
    path: scenario.path,
    cookies: scenario.cookie ? entry.cookies : [],
    connections,
  }
  const before = await entry.server.ask('cpu')
  const result = await runLoad({ ...load, duration: seconds })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const after = await entry.server.ask('cpu')
  const served = after.requests - before.requests
  const cpu = after.usage.user + after.usage.system - before.usage.user - before.usage.system
  return { rps: result.requestsPerSecond, cpu: cpu / served, failed: result.non2xx + result.errors }
}

// Warm every server on every scenario (JIT, heap), then measure.
for (const entry of servers) for (const scenario of scenarios) await window(entry, scenario, 1)

const samples = new Map()
for (let rep = 0; rep < reps; rep++) {
  const order = rep % 2 === 0 ? servers : [...servers].reverse()
  for (const scenario of scenarios) {
    for (const entry of order) {
      const key = `${entry.id} ${scenario.id}`
      if (!samples.has(key)) samples.set(key, [])
      samples.get(key).push(await window(entry, scenario, duration))
    }
  }
}

const lines = [
  '| target | scenario | req/s | × bare | CPU µs/req | added µs | failed |',
  '|---|---|---|---|---|---|---|',
]
for (const scenario of scenarios) {
  for (const entry of servers) {
    const runs = samples.get(`${entry.id} ${scenario.id}`)
    const bareId = `${entry.id.split('-')[0]}-bare`
    const bare = samples.get(`${bareId} ${scenario.id}`)
    const rps = median(runs.map((r) => r.rps))
    const cpu = median(runs.map((r) => r.cpu))
    const ratio = bare ? median(runs.map((r, i) => r.rps / bare[i].rps)) : null
    const added = bare ? median(runs.map((r, i) => r.cpu - bare[i].cpu)) : null
    const failed = runs.reduce((sum, r) => sum + r.failed, 0)
    lines.push(
      `| ${entry.id} | ${scenario.id} | ${rps.toFixed(0)} | ${ratio?.toFixed(2) ?? '–'} | ${cpu.toFixed(1)} | ${added === null ? '–' : added.toFixed(1)} | ${failed} |`,
    )
  }
}
console.log(lines.join('\n'))
if (process.env.COMPARE_VERBOSE) {
  for (const [key, runs] of samples) console.log(key, runs.map((r) => r.cpu.toFixed(1)).join(' '))
}
for (const entry of servers) await entry.server.stop()
