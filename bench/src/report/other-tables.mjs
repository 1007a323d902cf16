// Markdown for the memory suite, the targets, and the helper-owned suites (whose result shape
// is theirs: an array of flat rows, or { rows, notes, markdown }, or anything JSON).
import { fixed, percent, table, whole } from './format.mjs'

const storeLabel = { satchel: 'satchel MemorySessionStore', 'express-session': 'express-session MemoryStore' }

/** Heap per idle session and the sweep check. */
export function memoryTables(memory) {
  const heap = table(
    ['store', 'sessions', 'bytes/session (heap + external)', 'JS heap', 'external', 'fill time'],
    memory.heap.map((h) =>
      h.error
        ? [storeLabel[h.store], '–', `unavailable: ${h.error}`, '–', '–', '–']
        : [
            storeLabel[h.store],
            whole(h.sessions),
            whole(h.bytesPerSession),
            whole(h.heapUsedPerSession),
            whole(h.externalPerSession),
            `${fixed(h.fillMs / 1000, 1)} s`,
          ],
    ),
  )
  const sweep = table(
    ['store', 'sessions (ttl 2 s)', 'held after 4.5 s idle', 'memory freed', 'store count() after', 'swept'],
    memory.sweep.map((s) =>
      s.error
        ? [storeLabel[s.store], '–', `unavailable: ${s.error}`, '–', '–', '–']
        : [
            storeLabel[s.store],
            whole(s.heldBefore),
            whole(s.heldAfter),
            percent(s.freedShare),
            whole(s.reportedAfter),
            s.swept ? 'yes' : 'no',
          ],
    ),
  )
  return `${heap}\n\n${sweep}`
}

/** The targets with met / missed / not measured. */
export function targetsTable(checks) {
  const mark = (met) => (met === true ? '✅ met' : met === false ? '❌ missed' : '⚪ not measured')
  // Ratios get three decimals, so a row just under its limit (0.799) does not read as on it.
  const value = (v) =>
    typeof v === 'number' ? (Math.abs(v) >= 100 ? whole(v) : fixed(v, Math.abs(v) < 2 ? 3 : 2)) : (v ?? '–')
  return table(
    ['target', 'measured on', 'value', 'limit', 'result', 'cross-check'],
    checks.map((c) => [c.name, c.measuredOn, value(c.value), c.limit, mark(c.met), c.crossCheck ?? '']),
  )
}

function cell(value) {
  if (typeof value === 'number') return Number.isInteger(value) ? whole(value) : fixed(value, 2)
  if (value === null || value === undefined) return '–'
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function rowsTable(rows) {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return table(
    header,
    rows.map((r) => header.map((h) => cell(r[h]))),
  )
}

/** One section per helper-owned suite. */
export function externalSections(outcomes) {
  return outcomes
    .map((o) => {
      const head = `### ${o.title}`
      if (o.status !== 'ok') return `${head}\n\n${o.status}: ${o.reason}`
      const r = o.result
      const parts = [head]
      if (Array.isArray(r) && r.every((x) => x && typeof x === 'object')) parts.push(rowsTable(r))
      else if (r && typeof r === 'object' && (Array.isArray(r.rows) || typeof r.markdown === 'string')) {
        if (typeof r.markdown === 'string') parts.push(r.markdown)
        else parts.push(rowsTable(r.rows))
        if (Array.isArray(r.notes)) parts.push(r.notes.map((n) => `- ${n}`).join('\n'))
      } else parts.push(`\`\`\`json\n${JSON.stringify(r, null, 2)}\n\`\`\``)
      return parts.join('\n\n')
    })
    .join('\n\n')
}
