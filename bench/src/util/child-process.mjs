// Forks a Node child with an IPC channel and lets the parent ask it questions by message type.
import { execFileSync, fork } from 'node:child_process'

/**
 * Starts `modulePath` as a child process. Resolves with a handle once the child sends its first
 * message (a `ready` or `unavailable` message), or rejects when it exits first.
 */
export function startChild(modulePath, { args = [], env = {}, execArgv = [], timeoutMs = 30_000 } = {}) {
  const child = fork(modulePath, args, {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  // A send to a child that already closed its channel must not crash the runner.
  child.on('error', () => {})
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const waiting = new Map()
  child.on('message', (message) => {
    const waiter = waiting.get(message.type)
    if (waiter) {
      waiting.delete(message.type)
      waiter.resolve(message)
    }
  })
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      for (const [type, waiter] of waiting) {
        waiter.reject(new Error(`child ${modulePath} exited (${code ?? signal}) before '${type}'\n${stderr}`))
      }
      waiting.clear()
      resolve({ code, signal })
    })
  })

  /** Waits for the next message of `type`; rejects when the child exits or the wait times out. */
  function next(type, ms = timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return Promise.reject(new Error(`child ${modulePath} has exited\n${stderr}`))
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(type)
        reject(new Error(`child ${modulePath} sent no '${type}' within ${ms} ms\n${stderr}`))
      }, ms)
      waiting.set(type, {
        resolve(message) {
          clearTimeout(timer)
          resolve(message)
        },
        reject(error) {
          clearTimeout(timer)
          reject(error)
        },
      })
    })
  }

  /** Sends `{ type, ...payload }` and waits for the reply of the same type. */
  function ask(type, payload = {}, ms = timeoutMs) {
    const reply = next(type, ms)
    child.send({ type, ...payload }, () => {})
    return reply
  }

  /** Asks the child to stop, then kills it if it has not exited within two seconds. */
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return
    if (child.connected) child.send({ type: 'stop' }, () => {})
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
    await exited
    clearTimeout(timer)
  }

  return { child, next, ask, stop, exited, stderr: () => stderr }
}

/**
 * Pins the server process `pid` (all its threads) to CPU 1 and this process, which drives the
 * load, to CPU 0 (Linux `taskset`), for diagnosis runs that want steadier windows.
 */
export function pinApart(pid) {
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(pid)], { stdio: 'ignore' })
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
}
