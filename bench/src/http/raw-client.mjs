// The in-process harnesses' server and client (inproc.mjs, instructions.mjs, allocations.mjs): a
// target's app on a node:http server in THIS process, and a raw keep-alive HTTP/1.1 client that
// keeps one request in flight per socket and counts responses by their status line, so a
// window costs little besides the server's own work.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { buildExpressApp } from './apps/express-apps.mjs'
import { buildKoaApp } from './apps/koa-apps.mjs'
import { obtainSessionCookies } from './session-cookies.mjs'
import { hasSessions, scenarios } from './targets.mjs'

/** Starts target `id` on 127.0.0.1 with one session cookie per connection (none for a bare target). */
export async function startInProcess(id, connections) {
  const app = id.startsWith('express-')
    ? await buildExpressApp(id, {})
    : (await buildKoaApp(id, {})).callback()
  const server = createServer(app)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const cookies = hasSessions(id) ? await obtainSessionCookies(port, connections) : []
  return { id, server, port, cookies, connections }
}

/**
 * Sends `total` requests of `scenario` over the target's keep-alive sockets (one session each),
 * one request in flight per socket, as the HTTP suite's load does; rejects on a non-2xx answer.
 */
export function drive({ port, cookies, connections }, scenario, total) {
  return new Promise((resolve, reject) => {
    const marker = Buffer.from('HTTP/1.1 ')
    let sent = 0
    let done = 0
    for (let c = 0; c < connections; c++) {
      const cookie = scenario.cookie ? `cookie: ${cookies[c % cookies.length]}\r\n` : ''
      const request = Buffer.from(`GET ${scenario.path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${cookie}\r\n`)
      const socket = connect(port, '127.0.0.1')
      socket.setNoDelay(true)
      socket.on('error', reject)
      const send = () => {
        if (sent >= total) socket.end()
        else {
          sent++
          socket.write(request)
        }
      }
      socket.on('connect', send)
      socket.on('data', (chunk) => {
        // One response per chunk in practice; count status lines to be safe.
        for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + 1)) {
          if (chunk[at + 9] !== 0x32 /* 2xx */) reject(new Error(`non-2xx: ${chunk.toString().slice(0, 80)}`))
          if (++done === total) resolve()
          send()
        }
      })
    }
  })
}

/**
 * The command line of a one-target harness (instructions.mjs, allocations.mjs): `--target`,
 * `--scenario`, `--requests`, `--warmup`, `--connections` and any `extra` options; starts the
 * target like the HTTP suite's server processes (production mode, a random secret) and runs the
 * warm-up. Returns the parsed values, the scenario, the started target and the request count.
 */
export async function warmedTarget({ requests, warmup }, extra = {}) {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'express-satchel-memory' },
      scenario: { type: 'string', default: 'S1' },
      requests: { type: 'string', default: requests },
      warmup: { type: 'string', default: warmup },
      connections: { type: 'string', default: '1' },
      ...extra,
    },
  })
  process.env.NODE_ENV ??= 'production'
  process.env.BENCH_SECRET ??= `bench-${randomBytes(24).toString('hex')}`
  const scenario = scenarios.find((s) => s.id === values.scenario)
  const target = await startInProcess(values.target, Number(values.connections))
  await drive(target, scenario, Number(values.warmup))
  return { values, scenario, target, requests: Number(values.requests) }
}
