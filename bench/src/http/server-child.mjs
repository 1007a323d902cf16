// One benchmark server in its own process. Started by the HTTP suite through IPC:
// it replies `started` ({ ok, port } or { ok: false, error }), answers `cpu` with
// process.cpuUsage(), the requests received and the Redis commands sent so far, and shuts down on `stop`.
import { createServer } from 'node:http'
import { createClient } from 'redis'
import { countSentCommands } from '../redis/sent-commands.mjs'
import { buildExpressApp } from './apps/express-apps.mjs'
import { buildKoaApp } from './apps/koa-apps.mjs'

const targetId = process.env.BENCH_TARGET
let redisClient
let sentCommands = () => 0

const deps = {
  prefix: process.env.BENCH_PREFIX,
  async redis() {
    if (!redisClient) {
      redisClient = createClient({ url: process.env.BENCH_REDIS_URL })
      redisClient.on('error', (error) => console.error(`[${targetId}] redis:`, error.message))
      await redisClient.connect()
      sentCommands = countSentCommands(redisClient)
    }
    return redisClient
  },
}

async function listener() {
  if (targetId.startsWith('express-')) return buildExpressApp(targetId, deps)
  const app = await buildKoaApp(targetId, deps)
  return app.callback()
}

let server
let handled = 0
try {
  server = createServer(await listener())
  server.on('request', () => {
    handled += 1
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  process.send({ type: 'started', ok: true, port: server.address().port })
} catch (error) {
  process.send({ type: 'started', ok: false, error: String(error?.stack ?? error) })
  await redisClient?.close().catch(() => {})
  process.disconnect()
  process.exitCode = 1
}

// The runner went away (crash or Ctrl-C): do not outlive it.
process.on('disconnect', () => process.exit(0))

process.on('message', async (message) => {
  if (message.type === 'cpu') {
    process.send({ type: 'cpu', usage: process.cpuUsage(), redisSent: sentCommands(), requests: handled })
  } else if (message.type === 'stop') {
    server?.closeAllConnections()
    server?.close()
    await redisClient?.close().catch(() => {})
    process.disconnect()
    // Stores may hold unref'd or ref'd timers; the process ends here either way.
    setTimeout(() => process.exit(0), 200).unref()
  }
})
