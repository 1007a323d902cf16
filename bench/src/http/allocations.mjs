// Bytes allocated per request, by allocation site, for one target in this process: V8's sampling
// heap profiler over the measured requests, counting objects that garbage collection has freed
// since (a plain heap profile keeps only the survivors). Compare a target with its bare server to
// see what satchel allocates per request, and so what drives its share of collection work:
//   node src/http/allocations.mjs --target express-satchel-memory --scenario S2 [--requests 20000]
//                                 [--connections 1] [--top 40]
import { Session } from 'node:inspector/promises'
import { drive, warmedTarget } from './raw-client.mjs'

const { values, scenario, target, requests } = await warmedTarget(
  { requests: '20000', warmup: '5000' },
  { top: { type: 'string', default: '40' } },
)

const inspector = new Session()
inspector.connect()
await inspector.post('HeapProfiler.enable')
await inspector.post('HeapProfiler.startSampling', {
  samplingInterval: 64,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
await drive(target, scenario, requests)
const { profile } = await inspector.post('HeapProfiler.stopSampling')
target.server.close()

/** Sampled bytes per `function file:line`, over the whole call tree. */
const bySite = new Map()
let total = 0
const pending = [profile.head]
while (pending.length > 0) {
  const node = pending.pop()
  const { functionName, url, lineNumber } = node.callFrame
  if (node.selfSize > 0) {
    const where = url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, 'packages/')
    const site = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
    total += node.selfSize
  }
  pending.push(...(node.children ?? []))
}
console.log(
  `${values.target} ${values.scenario}: ${(total / requests).toFixed(0)} bytes allocated per request`,
)
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${(bytes / requests).toFixed(0).padStart(7)}  ${site}`)
}
process.exit(0)
