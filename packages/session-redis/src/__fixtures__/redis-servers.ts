import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from 'redis5'

const run = promisify(execFile)

/** The shared Redis every suite uses; a missing server fails the suite (never a skip). */
export const REDIS_URL = process.env.SATCHEL_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `satchel-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`
}

/** Throws a clear error when the shared Redis is not reachable. */
export async function requireRedis(): Promise<void> {
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    throw new Error(
      `These tests need a real Redis at ${REDIS_URL} (set SATCHEL_REDIS_URL to change it): ${String(error)}`,
    )
  } finally {
    if (client.isOpen) client.destroy()
  }
}

/** Deletes every key under `prefix` from the shared Redis. */
export async function deletePrefix(prefix: string): Promise<number> {
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } })
  client.on('error', () => undefined)
  await client.connect()
  let deleted = 0
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await client.unlink(keys)
    }
  } finally {
    client.destroy()
  }
  return deleted
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A port in 20000–29999 that is free, together with port + 10000 (the cluster bus). */
export async function sparePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000)
    if ((await portIsFree(port)) && (await portIsFree(port + 10000))) return port
  }
  throw new Error('No spare port found for a test redis-server.')
}

/** A redis-server started by a test; `stop()` kills it. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  stop(): Promise<void>
}

async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'])
      if (stdout.trim() === 'PONG') return
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Starts `redis-server` on `port` (no persistence) and waits until it answers. */
export async function startRedisServer(port: number, extra: string[] = []): Promise<RedisServer> {
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('error', () => undefined)
  await waitForPing(port, 5000)
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

/** A 3-master Redis Cluster started by a test. */
export interface RedisClusterServers {
  readonly ports: readonly number[]
  stop(): Promise<void>
}

/** Starts three cluster-enabled servers, joins them into one cluster and waits for `cluster_state:ok`. */
export async function startRedisCluster(): Promise<RedisClusterServers> {
  const dir = await mkdtemp(join(tmpdir(), 'satchel-cluster-'))
  const servers: RedisServer[] = []
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < 3; i++) {
      const port = await sparePort()
      servers.push(
        await startRedisServer(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
        ]),
      )
    }
    const ports = servers.map((server) => server.port)
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ])
    const deadline = Date.now() + 10_000
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info'])
        if (stdout.includes('cluster_state:ok')) break
        if (Date.now() > deadline) throw new Error('The test Redis Cluster did not reach cluster_state:ok')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    return { ports, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
