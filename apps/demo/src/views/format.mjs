// Date and duration formatting for the pages.

/** "2026-11-25 19:30:12 UTC" */
export function formatTime(epochMs) {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return '—'
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** "12 s", "5 min", "3 h", "2 d" */
export function formatDuration(ms) {
  const s = Math.round(Math.abs(ms) / 1000)
  if (s < 90) return `${s} s`
  if (s < 90 * 60) return `${Math.round(s / 60)} min`
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86400)} d`
}

/** "5 min ago" or "in 59 min", relative to now. */
export function relative(epochMs, now = Date.now()) {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return ''
  const delta = epochMs - now
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`
}
