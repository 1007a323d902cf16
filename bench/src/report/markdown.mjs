// The results page: run facts, targets, HTTP tables, memory, the other suites, and how to read them.
import { httpTables } from './http-tables.mjs'
import { externalSections, memoryTables, targetsTable } from './other-tables.mjs'

/** How to read the HTTP tables; shared by the results page and the README. */
export const readingGuide = `How to read the HTTP tables:
- **req/s** is the median over a row's windows; **× bare** is the median of per-pair ratios to
  the same framework's bare server on the same scenario (the ceiling, no session at all), each
  pair measured in adjacent windows, several pairs per repetition (rounds) in alternating order.
  **× bare by CPU** is bare CPU µs/req ÷ the row's: the ratio a CPU-bound server would reach,
  steadier when other work steals the cores. **runs** counts a row's measured windows.
- **p50/p99** are latencies over every response of the measured window (10 connections).
- **CPU µs/req** is the server process's own CPU time (user + system, \`process.cpuUsage()\`)
  over the measured window divided by the responses; **added CPU** subtracts the bare server's.
- **Redis sent/req** counts the commands the server's node-redis client sent (round trips; a
  script call is one); **Redis server cmd/req** is the \`INFO commandstats\` delta of a private
  redis-server, which also counts each command a Lua script runs inside Redis (satchel's store
  reads and writes through scripts; the peers send plain GET/SET/EXPIRE, so both counts agree).
  **Set-Cookie** is the share of responses that carried one.
- S1 read: existing session, the handler reads a counter. S2 write: it increments it. S3 new: no
  cookie, the handler writes, so a session is created. S1/S2 use one session per connection.
- The machine has 2 cores shared by the server, the load generator, Redis and other work: absolute
  numbers are noisy from run to run; ratios measured side by side in one repetition are steadier.`

/** Renders the whole page for one run's `results`. */
export function renderMarkdown(results) {
  const c = results.config
  const e = results.environment
  const lines = [
    `# Benchmark results: ${results.date}${results.quick ? ' (quick smoke run)' : ''}`,
    '',
    `Command: \`${results.command}\` · commit ${e.commit} · Node ${e.node} · ${e.cpus} × ${e.cpuModel} · ` +
      `load ${e.loadAverage.map((l) => l.toFixed(2)).join(' / ')} at start · ${Math.round(results.seconds)} s in all.`,
    '',
    `HTTP: ${c.reps} repetition(s) × ${c.rounds ?? 1} round(s) of ${c.warmup} s warm-up + ${c.duration} s measured ` +
      'per window (a row and its bare server alternate, one window each per round), ' +
      `${c.connections} connections (autocannon in the runner process), each server in its own process on ` +
      `127.0.0.1; Redis: ${e.redis}. Memory: ${c.memorySessions.toLocaleString('en-US')} sessions per store.`,
    '',
    '## Targets',
    '',
    targetsTable(results.targets),
    '',
    '## HTTP',
    '',
    results.http ? httpTables(results.http) : 'Skipped in this run.',
    '',
    readingGuide,
    '',
    '## Memory',
    '',
    results.memory ? memoryTables(results.memory) : 'Skipped in this run.',
    '',
    'Bytes per session = (JS heap + external memory after the fill − before it, both after GC) / sessions, ' +
      'each store in a fresh `node --expose-gc` process holding only the store. Sweep: sessions with a 2 s ttl ' +
      '(satchel `sweepInterval` 1 s), then 4.5 s with no request at all. "Held" is counted without any read that ' +
      "could prune: MemoryStore's raw table (its length() prunes while counting, shown as store count()), and " +
      "for satchel the sessions created minus the store's `expired` events (its count() sweeps first).",
    '',
    '## Other suites',
    '',
    results.suites.length > 0 ? externalSections(results.suites) : 'Skipped in this run.',
    '',
  ]
  return lines.join('\n')
}
