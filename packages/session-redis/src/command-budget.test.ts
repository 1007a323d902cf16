import { Session } from '@satchel/session-core'
import { createClient } from 'redis5'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REDIS_URL } from './__fixtures__/redis-servers.js'
import { sharedClient } from './__fixtures__/shared-client.js'
import { RedisSessionStore } from './redis-session-store.js'

// Watches the real server with MONITOR: which commands the store's own connection sends, and
// which ones its Lua scripts run inside Redis (MONITOR tags those `lua`). Both are what
// `INFO commandstats` counts, so this pins the command budget the README promises.
const { prefix, client } = sharedClient('budget')
const monitor = createClient({ url: REDIS_URL })
monitor.on('error', () => undefined)
const lines: string[] = []
let storeAddress = ''

beforeAll(async () => {
  await monitor.connect()
  const info = String(await client.sendCommand(['CLIENT', 'INFO']))
  storeAddress = /addr=(\S+)/.exec(info)?.[1] ?? 'unknown'
  await monitor.monitor((line) => lines.push(line))
})
afterAll(() => {
  if (monitor.isOpen) monitor.destroy()
})

/** The commands one action costs: sent by the store, and run by its scripts on its keys. */
async function commandsOf(action: () => Promise<unknown>): Promise<{ sent: string[]; scripted: string[] }> {
  const marker = `${prefix}marker:${Math.random()}`
  await client.get(marker) // flushes MONITOR up to here: lines after the marker are the action's
  const from = await waitFor(marker)
  await action()
  const end = `${marker}:end`
  await client.get(end)
  const to = await waitFor(end)
  const window = lines.slice(from + 1, to)
  const name = (line: string) => /\] "([^"]+)"/.exec(line)?.[1]?.toUpperCase() ?? '?'
  return {
    sent: window.filter((line) => line.includes(`[0 ${storeAddress}]`)).map(name),
    scripted: window.filter((line) => line.includes(' lua] ') && line.includes(prefix)).map(name),
  }
}

async function waitFor(marker: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const at = lines.findIndex((line) => line.includes(`"${marker}"`))
    if (at >= 0) return at
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`MONITOR never showed ${marker}`)
}

describe('the command budget, as the server sees it', () => {
  const store = new RedisSessionStore({ client, prefix })

  it('stores a new session with one SET … NX and no script', async () => {
    const session = new Session(`${'n'.repeat(42)}A`, null, 3600)
    session.data.set('first', 1)
    expect(await commandsOf(() => store.save(session))).toEqual({ sent: ['SET'], scripted: [] })
  })

  it('reads a session with one MGET and writes nothing', async () => {
    const session = await store.create()
    const { sent, scripted } = await commandsOf(() => store.get(session.id))
    expect({ sent, scripted }).toEqual({ sent: ['MGET'], scripted: [] })
  })

  it('saves a change with one EVALSHA that reads the version header and writes once', async () => {
    const session = await store.create()
    // The first use of a script on a server costs one EVAL more; measure a warm one.
    const warm = (await store.get(session.id))!
    warm.data.set('w', 1)
    await store.save(warm)
    const fresh = (await store.get(session.id))!
    fresh.data.set('n', 3)
    expect(await commandsOf(() => store.save(fresh))).toEqual({
      sent: ['EVALSHA'],
      scripted: ['GETRANGE', 'SET'],
    })
  })
})
