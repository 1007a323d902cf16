// In-process per-request cost: every target's server runs in THIS process, driven by a raw
// keep-alive client (10 sockets, one request in flight on each, responses counted by their
// status line), so a window costs little besides the server's own work. Reports the process CPU
// µs per request, and per framework the difference to its bare server measured in alternating
// windows. Cheaper and steadier than the full HTTP suite for before/after work on the glue; the
// client's small share is the same for every target. Uses the BUILT packages. Usage:
//   node src/http/inproc.mjs [--targets express-bare,express-satchel-memory,...] [--scenarios S1]
//                            [--requests 20000] [--reps 7]
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { median } from '../util/stats.mjs'
import { buildExpressApp } from './apps/express-apps.mjs'
import { buildKoaApp } from './apps/koa-apps.mjs'
import { obtainSessionCookies } from './session-cookies.mjs'
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

async function start(id) {
  const app = id.startsWith('express-')
    ? await buildExpressApp(id, {})
    : (await buildKoaApp(id, {})).callback()
  const server = createServer(app)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const cookies = id.endsWith('-bare') ? [] : await obtainSessionCookies(port, connections)
  return { id, server, port, cookies }
}

/** Sends `total` requests over `connections` keep-alive sockets, one in flight per socket. */
function drive({ port, cookies }, scenario, total) {
  return new Promise((resolve, reject) => {
    let sent = 0
    let done = 0
    const marker = Buffer.from('HTTP/1.1 ')
    for (let c = 0; c < connections; c++) {
      const cookie = scenario.cookie ? `cookie: ${cookies[c % cookies.length]}\r\n` : ''
      const request = Buffer.from(`GET ${scenario.path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${cookie}\r\n`)
      const socket = connect(port, '127.0.0.1')
      socket.setNoDelay(true)
      socket.on('error', reject)
      const send = () => {
        if (sent >= total) {
          socket.end()
          return
        }
        sent++
        socket.write(request)
      }
      socket.on('connect', send)
      socket.on('data', (chunk) => {
        // One response per chunk in practice; count status lines to be safe.
        for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + 1)) {
          if (chunk[at + 9] !== 0x32 /* 2xx */) reject(new Error(`non-2xx: ${chunk.toString().slice(0, 80)}`))
          done++
          if (done === total) resolve()
          send()
        }
      })
    }
  })
}

async function measure(entry, scenario) {
  const before = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  await drive(entry, scenario, requests)
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const used = process.cpuUsage(before)
  return { cpu: (used.user + used.system) / requests, rps: requests / wall }
}

const entries = []
for (const id of values.targets.split(',')) entries.push(await start(id))
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
