// One target's server and a raw keep-alive client in this process, for counting instructions per
// request with valgrind (deterministic, unlike timings on a shared machine):
//   node src/http/instructions.mjs --target express-satchel-memory --scenario S1 [--requests 2000]
// run under `valgrind --tool=callgrind` twice with different --requests; the difference of the
// two totals divided by the difference of the counts is the cost of one request (start-up and
// warm-up cancel out). `src/http/instructions.sh` does exactly that.
import { drive, warmedTarget } from './raw-client.mjs'

const { scenario, target, requests } = await warmedTarget({ requests: '2000', warmup: '3000' })
await drive(target, scenario, requests)
target.server.close()
process.exit(0)
