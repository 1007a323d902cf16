// One target's server and a raw keep-alive client in this process, for counting instructions per
// request with valgrind (deterministic, unlike timings on a shared machine):
//   node src/http/instructions.mjs --target express-satchel-memory --scenario S1 [--requests 2000]
// run under `valgrind --tool=callgrind` twice with different --requests; the difference of the
// two totals divided by the difference of the counts is the cost of one request (start-up and
// warm-up cancel out). `src/http/instructions.sh` does exactly that.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { buildExpressApp } from './apps/express-apps.mjs'
import { buildKoaApp } from './apps/koa-apps.mjs'
import { obtainSessionCookies } from './session-cookies.mjs'
import { scenarios } from './targets.mjs'

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'express-satchel-memory' },
    scenario: { type: 'string', default: 'S1' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '1' },
  },
})
process.env.NODE_ENV ??= 'production'
process.env.BENCH_SECRET ??= `bench-${randomBytes(24).toString('hex')}`
const id = values.target
const scenario = scenarios.find((s) => s.id === values.scenario)
const app = id.startsWith('express-') ? await buildExpressApp(id, {}) : (await buildKoaApp(id, {})).callback()
const server = createServer(app)
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const port = server.address().port
const connections = Number(values.connections)
const cookies = id.endsWith('-bare') ? [] : await obtainSessionCookies(port, connections)

/**
 * Sends `total` requests over `connections` keep-alive sockets (one session each), one request
 * in flight per socket, as the HTTP suite's load does with 10.
 */
function drive(total) {
  return new Promise((resolve, reject) => {
    const marker = Buffer.from('HTTP/1.1 ')
    let sent = 0
    let done = 0
    for (let c = 0; c < connections; c++) {
      const cookie = scenario.cookie ? `cookie: ${cookies[c]}\r\n` : ''
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
        for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + 1)) {
          if (chunk[at + 9] !== 0x32) reject(new Error(`non-2xx: ${chunk.toString().slice(0, 80)}`))
          if (++done === total) resolve()
          send()
        }
      })
    }
  })
}

await drive(Number(values.warmup))
await drive(Number(values.requests))
server.close()
process.exit(0)
