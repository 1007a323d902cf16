// Memory suite: heap per idle session at `sessions` sessions, and whether expired sessions are
// swept, for satchel's MemorySessionStore and express-session's MemoryStore.
import { fileURLToPath } from 'node:url'
import { startChild } from '../util/child-process.mjs'

const memoryChild = fileURLToPath(new URL('./memory-child.mjs', import.meta.url))

async function measure(store, mode, sessions) {
  const child = startChild(memoryChild, { args: [store, mode, String(sessions)], execArgv: ['--expose-gc'] })
  try {
    const reply = await child.next('result', 180_000)
    return reply.ok ? reply.result : { store, error: reply.error.split('\n')[0] }
  } catch (error) {
    return { store, error: String(error.message).split('\n')[0] }
  } finally {
    await child.stop()
  }
}

/** Returns `{ heap: [...], sweep: [...] }`, one entry per store; failures carry `error`. */
export async function runMemorySuite({ sessions, sweepSessions, log }) {
  const heap = []
  const sweep = []
  for (const store of ['satchel', 'express-session']) {
    const h = await measure(store, 'heap', sessions)
    heap.push(h)
    log(
      h.error
        ? `  heap ${store}: unavailable (${h.error})`
        : `  heap ${store}: ${Math.round(h.bytesPerSession)} B/session`,
    )
    const s = await measure(store, 'sweep', sweepSessions)
    sweep.push(s)
    log(
      s.error
        ? `  sweep ${store}: unavailable (${s.error})`
        : `  sweep ${store}: ${s.heldBefore} → ${s.heldAfter} held after ${s.waitSeconds}s idle, swept: ${s.swept}`,
    )
  }
  return { heap, sweep }
}
