// A second process for the concurrency test: bundled by the test (rolldown) and run with node.
// argv: <redis url> <prefix> <session id> <first path index> <how many>
// Prints `{ "conflicts": n, "replays": n, "failures": n }` on stdout.
import { createClient } from 'redis5'
import { RedisSessionStore } from '../redis-session-store.js'

const [url, prefix, id, first, count] = process.argv.slice(2)
const client = createClient({ url: url! })
client.on('error', () => undefined)
await client.connect()
const store = new RedisSessionStore({ client, prefix: prefix!, commandTimeout: 5000 })
let failures = 0
await Promise.all(
  Array.from({ length: Number(count) }, async (_, offset) => {
    const index = Number(first) + offset
    try {
      const session = await store.get(id!)
      if (session === undefined) throw new Error('session not found')
      session.data.set(`p${index}`, index)
      await store.save(session)
    } catch (error) {
      failures++
      process.stderr.write(`${String(error)}\n`)
    }
  }),
)
const { conflicts, replays } = store.stats
process.stdout.write(JSON.stringify({ conflicts, replays, failures }))
client.destroy()
