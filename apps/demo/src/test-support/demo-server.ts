// Starts the demo (src/start.mjs) as a child process on given ports, as a user would, and stops
// it with SIGTERM so that the memory store dumps its sessions.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const START_SCRIPT = fileURLToPath(new URL('../start.mjs', import.meta.url))

/** A port nobody listens on right now. */
export async function sparePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface DemoServerOptions {
  expressPort: number | 'off'
  koaPort: number | 'off'
  persistFile: string
  secret: string
  /** Use the Redis store at this URL instead of the memory store. */
  redisUrl?: string
  redisPrefix?: string
}

/** A running demo process; `output` holds everything it printed. */
export interface DemoServer {
  readonly child: ChildProcess
  readonly output: () => string
  stop(): Promise<number | null>
}

/** Spawns the demo and resolves once it printed "ready"; rejects with its output otherwise. */
export async function startDemo(options: DemoServerOptions): Promise<DemoServer> {
  const child = spawn(process.execPath, [START_SCRIPT], {
    env: {
      ...process.env,
      EXPRESS_PORT: String(options.expressPort),
      KOA_PORT: String(options.koaPort),
      HOST: '127.0.0.1',
      SATCHEL_SECRET: options.secret,
      SATCHEL_PERSIST_FILE: options.persistFile,
      REDIS_URL: options.redisUrl ?? '',
      SATCHEL_REDIS_PREFIX: options.redisPrefix ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the demo did not print "ready" within 20 s')), 20_000)
    function fail(error: Error): void {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${error.message}\n--- demo output ---\n${output}`))
    }
    child.stdout?.on('data', () => {
      if (output.includes('satchel demo: ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => fail(new Error(`the demo exited early with code ${code}`)))
  })
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const [code] = (await exited) as [number | null]
      clearTimeout(timer)
      return code
    },
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/**
 * The demo runs on the built packages: build them (Turbo's cache makes this quick when nothing
 * changed). SATCHEL_DEMO_SKIP_BUILD=1 skips it when the caller has just built.
 */
export async function buildPackages(): Promise<void> {
  if (process.env.SATCHEL_DEMO_SKIP_BUILD === '1') return
  const child = spawn(
    join(REPO_ROOT, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@satchel/demo^...', '--output-logs=errors-only'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`building the packages for the demo failed (exit ${code}):\n${output}`)
}
