// Markdown for the HTTP suite: one table per framework, then what could not be measured.
import { scenarios, targets } from '../http/targets.mjs'
import { fixed, percent, signed, table, whole } from './format.mjs'

const storeName = { none: '–', memory: 'memory', redis: 'Redis', cookie: 'cookie' }

/** Tables for `http` = { rows, unavailable, failures }. */
export function httpTables(http) {
  const parts = []
  for (const framework of ['express', 'koa']) {
    const rows = http.rows.filter((r) => r.framework === framework)
    if (rows.length === 0) continue
    parts.push(`### ${framework === 'express' ? 'Express 5' : 'Koa 3'}`)
    parts.push(
      table(
        [
          'library',
          'store',
          'scenario',
          'runs',
          'req/s',
          '× bare',
          '× bare by CPU',
          'p50 ms',
          'p99 ms',
          'CPU µs/req',
          'added CPU µs',
          'Redis sent/req',
          'Redis server cmd/req',
          'Set-Cookie',
          'failed',
        ],
        rows.map((r) => [
          r.library === 'satchel' ? `**${r.label}**` : r.label,
          storeName[r.store],
          `${r.scenario} ${scenarios.find((s) => s.id === r.scenario).name}`,
          r.windows,
          whole(r.requestsPerSecond),
          fixed(r.ratioToBare, 2),
          fixed(r.cpuRatioToBare, 2),
          fixed(r.p50, 2),
          fixed(r.p99, 2),
          fixed(r.cpuPerRequest, 1),
          signed(r.addedCpuPerRequest, 1),
          fixed(r.redisSentPerRequest, 2),
          fixed(r.redisPerRequest, 2),
          percent(r.setCookieShare),
          r.failedShare > 0 ? percent(r.failedShare) : '0',
        ]),
      ),
    )
  }
  const missing = Object.entries(http.unavailable)
  if (missing.length > 0) {
    parts.push('**Not measured** (the server could not start):')
    parts.push(
      missing
        .map(([id, reason]) => {
          const t = targets.find((x) => x.id === id)
          return `- ${t.framework} ${t.label} (${storeName[t.store]}): ${reason}`
        })
        .join('\n'),
    )
  }
  if (http.failures.length > 0) {
    parts.push('**Failed measurements:**')
    parts.push(http.failures.map((f) => `- rep ${f.rep} ${f.target} ${f.scenario}: ${f.error}`).join('\n'))
  }
  return parts.join('\n\n')
}
