// Runs in its own process with --expose-gc. argv: <store> <heap|sweep> <sessions>.
// heap: bytes retained per idle session. sweep: are expired sessions removed without reads?
import { setTimeout as sleep } from 'node:timers/promises'
import { factories, preload } from './session-factories.mjs'

const [storeName, mode, sessionsArg] = process.argv.slice(2)
const sessions = Number(sessionsArg)

function settle() {
  for (let i = 0; i < 3; i++) globalThis.gc()
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, external: m.external }
}

async function fill(factory, count = sessions) {
  const started = performance.now()
  for (let i = 0; i < count; i++) await factory.add()
  return performance.now() - started
}

/**
 * Loads the store's package and runs its code once on a throwaway store, so the baseline taken
 * next already holds the module and the compiled code: what follows counts sessions only (and
 * "memory freed" is not diluted by code that stays, ~0.5 MB).
 */
async function warmUp() {
  await preload[storeName]()
  const factory = await factories[storeName]({ capacity: 4000 })
  await fill(factory, 2000)
  await factory.close()
}

async function heap() {
  await warmUp()
  const before = settle()
  const factory = await factories[storeName]({ capacity: sessions * 2 })
  const fillMs = await fill(factory)
  const after = settle()
  const count = await factory.count()
  await factory.close()
  const heapUsed = (after.heapUsed - before.heapUsed) / sessions
  const external = (after.external - before.external) / sessions
  return {
    store: storeName,
    sessions,
    count,
    fillMs,
    heapUsedPerSession: heapUsed,
    externalPerSession: external,
    bytesPerSession: heapUsed + external,
  }
}

async function sweep() {
  const ttlSeconds = 2
  const sweepSeconds = 1
  const waitSeconds = 4.5
  await warmUp()
  const before = settle()
  const factory = await factories[storeName]({ capacity: sessions * 2, ttlSeconds, sweepSeconds })
  const fillStarted = performance.now()
  await fill(factory)
  const fillSeconds = (performance.now() - fillStarted) / 1000
  const filled = settle()
  const heldBefore = await factory.held()
  await sleep(waitSeconds * 1000)
  const after = settle()
  const heldAfter = await factory.held()
  const reported = await factory.count()
  await factory.close()
  const added = filled.heapUsed + filled.external - (before.heapUsed + before.external)
  const freed = filled.heapUsed + filled.external - (after.heapUsed + after.external)
  return {
    store: storeName,
    sessions,
    ttlSeconds,
    waitSeconds,
    fillSeconds,
    heldBefore,
    heldAfter,
    reportedAfter: reported,
    freedShare: added > 0 ? freed / added : null,
    swept: fillSeconds < ttlSeconds && heldBefore === sessions && heldAfter === 0,
  }
}

try {
  const result = mode === 'heap' ? await heap() : await sweep()
  process.send({ type: 'result', ok: true, result })
} catch (error) {
  process.send({ type: 'result', ok: false, error: String(error?.stack ?? error) })
}
process.disconnect()
// A store may keep a referenced timer; the measurement is done either way.
setTimeout(() => process.exit(0), 100).unref()
