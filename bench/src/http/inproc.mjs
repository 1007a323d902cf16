// In-process per-request cost: every target's server runs in THIS process, driven by a raw
// keep-alive client (10 sockets, one request in flight on each, responses counted by their
// status line), so a window costs little besides the server's own work. Reports the process CPU
// µs per request, and per framework the difference to its bare server measured in alternating
// windows. Cheaper and steadier than the full HTTP suite for before/after work on the glue; the
// client's small share is the same for every target. Uses the BUILT packages. Usage:
//   node src/http/inproc.mjs [--targets express-bare,express-satchel-memory,...] [--scenarios S1]
//                            [--requests 20000] [--reps 7]
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { median } from '../util/stats.mjs'
import { drive, startInProcess } from './raw-client.mjs'
import { scenarios as allScenarios } from './targets.mjs'

const { values } = parseArgs({
  options: {
    targets: {
      type: 'string',
      default: 'express-bare,express-satchel-memory,koa-bare,koa-satchel-memory',
    },
    scenarios: { type: 'string', default: 'S1,S2,S3' },
    requests: { type: 'string', default: '20000' },
    reps: { type: 'string', default: '7' },
  },
})
// Like the server processes of the HTTP suite (Express reads it when an app is made).
process.env.NODE_ENV ??= 'production'
process.env.BENCH_SECRET ??= `bench-${randomBytes(24).toString('hex')}`
const connections = 10
const requests = Number(values.requests)
const scenarios = allScenarios.filter((s) => values.scenarios.split(',').includes(s.id))

async function measure(entry, scenario) {
  const before = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await drive(entry, scenario, requests)
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const used = process.cpuUsage(before)
  return { cpu: (used.user + used.system) / requests, rps: requests / wall }
}

const entries = []
for (const id of values.targets.split(',')) entries.push(await startInProcess(id, connections))
for (const entry of entries) for (const scenario of scenarios) await drive(entry, scenario, requests) // warm-up

const samples = new Map()
for (let rep = 0; rep < Number(values.reps); rep++) {
  const order = rep % 2 === 0 ? entries : [...entries].reverse()
  for (const scenario of scenarios) {
    for (const entry of order) {
      const key = `${entry.id} ${scenario.id}`
      if (!samples.has(key)) samples.set(key, [])
      samples.get(key).push(await measure(entry, scenario))
    }
  }
}

const lines = ['| target | scenario | req/s | × bare | CPU µs/req | added µs |', '|---|---|---|---|---|---|']
for (const scenario of scenarios) {
  for (const entry of entries) {
    const runs = samples.get(`${entry.id} ${scenario.id}`)
    const bare = samples.get(`${entry.id.split('-')[0]}-bare ${scenario.id}`)
    const ratio = bare ? median(runs.map((r, i) => r.rps / bare[i].rps)) : null
    const added = bare ? median(runs.map((r, i) => r.cpu - bare[i].cpu)) : null
    lines.push(
      `| ${entry.id} | ${scenario.id} | ${median(runs.map((r) => r.rps)).toFixed(0)} | ${ratio?.toFixed(2) ?? '–'} | ${median(runs.map((r) => r.cpu)).toFixed(1)} | ${added === null ? '–' : added.toFixed(1)} |`,
    )
  }
}
console.log(lines.join('\n'))
for (const entry of entries) entry.server.close()
process.exit(0)
