// Entry point of `pnpm bench`: builds the packages, runs the HTTP, memory and helper-owned
// suites, checks the targets and writes bench/results/<date>.md and .json.
import { execSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { buildPackages } from './build-packages.mjs'
import { readOptions } from './cli-options.mjs'
import { runHttpSuite } from './http/http-suite.mjs'
import { runMemorySuite } from './memory/memory-suite.mjs'
import { startBenchRedis } from './redis/private-redis.mjs'
import { checkTargets } from './report/targets.mjs'
import { writeResults } from './report/write-results.mjs'
import { runExternalSuites } from './suites/external-suites.mjs'

// Ctrl-C: exit through 'exit' handlers so the private redis-server and the servers stop too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const log = (line) => console.log(line)
const options = readOptions(process.argv.slice(2))
const began = performance.now()
const timings = {}
let sectionStart = began
/** Records how long the section that just ended took, in seconds. */
function lap(name) {
  const now = performance.now()
  timings[name] = Math.round((now - sectionStart) / 100) / 10
  sectionStart = now
  log(`  (${name}: ${timings[name]} s)`)
}

function commit() {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: repoRoot, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

if (options.build) {
  buildPackages(log)
  lap('build')
}

/** Whether the packages the bench built had uncommitted changes (others may be mid-edit). */
function packagesDirty() {
  try {
    return execSync('git status --porcelain -- packages', { cwd: repoRoot, encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

const environment = {
  commit: commit() + (packagesDirty() ? ' (+ uncommitted changes in packages/)' : ''),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  loadAverage: loadavg(),
  redis: 'not used',
}

let http = null
if (options.http) {
  log(
    `HTTP suite: ${options.reps} rep(s) × ${options.rounds} round(s), ` +
      `${options.warmup} s warm-up + ${options.duration} s per window`,
  )
  const redis = await startBenchRedis()
  environment.redis = redis.private ? 'a private redis-server started for this run' : redis.url
  try {
    const profiles = fileURLToPath(new URL('../results/profiles/', import.meta.url))
    if (options.profile) mkdirSync(profiles, { recursive: true })
    const execArgv = options.profile ? ['--cpu-prof', '--cpu-prof-dir', profiles] : []
    http = await runHttpSuite({ config: { ...options, execArgv }, redisUrl: redis.url, log })
  } finally {
    await redis.stop()
  }
  lap('http')
}

let memory = null
if (options.memory && !options.only) {
  log(`Memory suite: ${options.memorySessions} sessions per store`)
  memory = await runMemorySuite({
    sessions: options.memorySessions,
    sweepSessions: options.sweepSessions,
    log,
  })
  lap('memory')
}

let suites = []
if (options.suites) {
  log('Bag, manager and Redis-command suites')
  suites = await runExternalSuites({ quick: options.quick, only: options.only, log })
  lap('suites')
}

const results = {
  date: new Date().toISOString().slice(0, 10),
  finishedAt: new Date().toISOString(),
  quick: options.quick,
  command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
  seconds: (performance.now() - began) / 1000,
  timings,
  config: options,
  environment,
  targets: checkTargets({ rows: http?.rows ?? [], memory }),
  http,
  memory,
  suites,
}

const complete = options.http && options.memory && options.suites && !options.only
const written = await writeResults(results, { updateReadme: complete && !options.quick })
log(`\nTargets:`)
for (const t of results.targets) {
  const v = typeof t.value === 'number' ? t.value.toFixed(Math.abs(t.value) < 2 ? 3 : 2) : (t.value ?? '–')
  log(
    `  ${t.met === true ? 'met    ' : t.met === false ? 'MISSED ' : 'n/a    '} ${t.name} (${t.measuredOn}): ${v}`,
  )
}
log(`\nWrote ${written.join(', ')} in ${Math.round(results.seconds)} s`)
