// One target's server and a raw keep-alive client in this process, for counting instructions per
// request with valgrind (deterministic, unlike timings on a shared machine):
//   node src/http/instructions.mjs --target express-satchel-memory --scenario S1 [--requests 2000]
// run under `valgrind --tool=callgrind` twice with different --requests; the difference of the
// two totals divided by the difference of the counts is the cost of one request (start-up and
// warm-up cancel out). `src/http/instructions.sh` does exactly that.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { drive, startInProcess } from './raw-client.mjs'
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
const scenario = scenarios.find((s) => s.id === values.scenario)
const target = await startInProcess(values.target, Number(values.connections))

await drive(target, scenario, Number(values.warmup))
await drive(target, scenario, Number(values.requests))
target.server.close()
process.exit(0)
