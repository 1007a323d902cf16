// Starts a private redis-server for the HTTP suite, so `INFO commandstats` counts only the
// benchmark's own commands (the shared Redis on 6379 also serves other people's tests).
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { createClient } from 'redis'

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitForPing(url, ms) {
  const deadline = Date.now() + ms
  let lastError
  while (Date.now() < deadline) {
    const client = createClient({ url })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.ping()
      await client.close()
      return
    } catch (error) {
      lastError = error
      client.destroy()
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`redis at ${url} did not answer: ${lastError}`)
}

/**
 * Resolves `{ url, private, stop }`. `BENCH_REDIS_URL` wins; otherwise a private redis-server on
 * a free port (no persistence); otherwise the shared 127.0.0.1:6379 with a warning.
 */
export async function startBenchRedis() {
  if (process.env.BENCH_REDIS_URL) {
    return { url: process.env.BENCH_REDIS_URL, private: false, stop: async () => {} }
  }
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (found.status !== 0) {
    console.warn(
      '! redis-server not found: using the shared 127.0.0.1:6379; command counts may include other clients',
    )
    return { url: 'redis://127.0.0.1:6379', private: false, stop: async () => {} }
  }
  const port = await freePort()
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise((resolve) => server.once('exit', resolve))
  // Never leave the private server behind, even when the runner crashes.
  const killOnExit = () => server.kill('SIGTERM')
  process.once('exit', killOnExit)
  const url = `redis://127.0.0.1:${port}`
  await waitForPing(url, 5000)
  return {
    url,
    private: true,
    async stop() {
      process.off('exit', killOnExit)
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM')
      await exited
    },
  }
}
