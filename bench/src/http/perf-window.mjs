// Samples one server under the HTTP suite's load with Linux `perf` (cpu-clock), to see where the
// CPU time of a request goes in the real setting (10 connections, load from another process,
// V8's helper threads included), which instruction counts of one socket cannot show:
//   node src/http/perf-window.mjs --target express-satchel-memory --scenario S1 [--seconds 5]
//                                 [--fill 8] [--no-perf] [--pin] [--node-flags=--trace-gc]
// --fill runs the S3 scenario for that many seconds first, so the store holds the sessions a
// long-running server would (the HTTP suite's S3 windows leave ~40k behind).
// Writes /tmp/perf-<target>-<scenario>.data and prints the requests served in the window; read
// it with `perf report -i <file> --sort dso,sym` (JS symbols come from --perf-basic-prof).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { pinApart, startChild } from '../util/child-process.mjs'
import { runLoad } from './load.mjs'
import { obtainSessionCookies } from './session-cookies.mjs'
import { hasSessions, scenarios } from './targets.mjs'

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    scenario: { type: 'string', default: 'S1' },
    seconds: { type: 'string', default: '5' },
    fill: { type: 'string', default: '0' },
    'no-perf': { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '' },
  },
})
const scenario = scenarios.find((s) => s.id === values.scenario)
const server = startChild(fileURLToPath(new URL('./server-child.mjs', import.meta.url)), {
  env: { BENCH_TARGET: values.target, BENCH_SECRET: randomBytes(24).toString('hex') },
  execArgv: ['--perf-basic-prof', ...values['node-flags'].split(' ').filter(Boolean)],
})
const started = await server.next('started')
if (!started.ok) throw new Error(started.error)
if (values.pin) pinApart(server.child.pid)
const cookies = hasSessions(values.target) ? await obtainSessionCookies(started.port, 10) : []
const load = {
  port: started.port,
  path: scenario.path,
  cookies: scenario.cookie ? cookies : [],
  connections: 10,
}
const fill = scenarios.find((s) => s.id === 'S3')
if (Number(values.fill) > 0)
  await runLoad({ ...load, path: fill.path, cookies: [], duration: Number(values.fill) })
await runLoad({ ...load, duration: 4 })
const out = `/tmp/perf-${values.target}-${scenario.id}.data`
const perf = values['no-perf']
  ? null
  : spawn(
      'perf',
      ['record', '-q', '-e', 'cpu-clock', '-F', '4000', '-p', String(server.child.pid), '-o', out],
      {
        stdio: 'inherit',
      },
    )
await new Promise((r) => setTimeout(r, 300))
const before = await server.ask('cpu')
console.log('--- window start')
await runLoad({ ...load, duration: Number(values.seconds) })
const after = await server.ask('cpu')
console.log('--- window end')
if (perf) {
  perf.kill('SIGINT')
  await new Promise((r) => perf.once('exit', r))
}
const served = after.requests - before.requests
const cpu = after.usage.user + after.usage.system - before.usage.user - before.usage.system
console.log(
  `${values.target} ${scenario.id}: ${served} requests, ${(cpu / served).toFixed(1)} µs CPU/req -> ${out}`,
)
await server.stop()
