import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from 'redis5'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bundleScript } from './__fixtures__/bundle-script.js'
import { deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from './__fixtures__/redis-servers.js'
import { RedisSessionStore } from './redis-session-store.js'

const run = promisify(execFile)
const prefix = uniquePrefix('concurrent')
const client = createClient({ url: REDIS_URL })
client.on('error', () => undefined)
let writer: Awaited<ReturnType<typeof bundleScript>> | undefined

beforeAll(async () => {
  await requireRedis()
  await client.connect()
  writer = await bundleScript(join(import.meta.dirname, '__fixtures__', 'concurrent-writer.ts'))
}, 30_000)
afterAll(async () => {
  await writer?.remove()
  if (client.isOpen) client.destroy()
  await deletePrefix(prefix)
})

interface WriterReport {
  conflicts: number
  replays: number
  failures: number
}

it('keeps all 100 paths when two processes save one session concurrently, replaying the losers', async () => {
  const store = new RedisSessionStore({ client, prefix })
  const session = await store.create({ identity: 'ada' })
  session.data.set('before', 'kept')
  await store.save(session)

  const args = (first: number) => [writer!.file, REDIS_URL, prefix, session.id, String(first), '50']
  const [a, b] = await Promise.all([run(process.execPath, args(0)), run(process.execPath, args(50))])
  const reports = [a, b].map(({ stdout }) => JSON.parse(stdout) as WriterReport)

  expect(reports.map((report) => report.failures)).toEqual([0, 0])
  const loaded = await store.get(session.id)
  const data = loaded!.data
  const missing = Array.from({ length: 100 }, (_, i) => `p${i}`).filter(
    (path) => data.get(path) === undefined,
  )
  expect(missing).toEqual([])
  expect(data.get('p42')).toBe(42)
  expect(data.get('before')).toBe('kept')
  // Saves lost races and were replayed, not dropped: every one of the 100 saves is in the record.
  const conflicts = reports.reduce((sum, report) => sum + report.conflicts, 0)
  const replays = reports.reduce((sum, report) => sum + report.replays, 0)
  expect(conflicts).toBeGreaterThan(0)
  expect(replays).toBeGreaterThan(0)
  expect(loaded!.version).toBe(2 + 100)
}, 30_000)
