import { createClient } from 'redis5'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type RedisServer, sparePort, startRedisServer } from './__fixtures__/redis-servers.js'
import { RedisSessionStore } from './redis-session-store.js'

// A private server, so that INFO commandstats counts only this test's commands.
let server: RedisServer | undefined
let client: ReturnType<typeof createClient>

beforeAll(async () => {
  server = await startRedisServer(await sparePort())
  client = createClient({ url: server.url })
  client.on('error', () => undefined)
  await client.connect()
}, 15_000)
afterAll(async () => {
  if (client?.isOpen) client.destroy()
  await server?.stop()
})

async function calls(command: string): Promise<number> {
  const stats = await client.info('commandstats')
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
}

it('walks every SCAN batch of its prefix for count, entries, dump and clear, and never uses KEYS', async () => {
  const store = new RedisSessionStore({ client, prefix: 'scan:' })
  // A prefix that extends this one: its keys are not this store's.
  const other = new RedisSessionStore({ client, prefix: 'scan:s:' })
  await other.create({ identity: 'not-mine' })
  const sessions = await Promise.all(Array.from({ length: 1200 }, () => store.create({ identity: 'ada' })))
  await store.delete(sessions[0]!.id) // leaves a tombstone, which is not a session

  const scansBefore = await calls('scan')
  expect(await store.count()).toBe(1199)
  let seen = 0
  for await (const _ of store.entries()) seen++
  expect(seen).toBe(1199)
  expect((await store.dump()).sessions).toHaveLength(1199)
  // 1200 keys at COUNT 500 take several cursor steps per walk.
  expect((await calls('scan')) - scansBefore).toBeGreaterThanOrEqual(3 * 3)

  await store.clear()
  expect(await client.keys('scan:[sti]:{*')).toEqual([])
  expect(await other.count()).toBe(1)
  expect(await calls('keys')).toBe(1) // only the check just above
}, 20_000)
