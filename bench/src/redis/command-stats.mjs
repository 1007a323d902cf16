// Reads Redis command counters and removes a key prefix, for per-request command counts.

/** Parses `INFO commandstats` into `{ command: calls }`. */
export function parseCommandStats(info) {
  const calls = {}
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line)
    if (match) calls[match[1]] = Number(match[2])
  }
  return calls
}

/** Current command counters of the server `client` is connected to. */
export async function readCommandStats(client) {
  return parseCommandStats(await client.info('commandstats'))
}

/**
 * Commands run between two snapshots, leaving out the counters' own `INFO` calls.
 * Returns `{ total, byCommand }`.
 */
export function commandDelta(before, after) {
  const byCommand = {}
  let total = 0
  for (const [command, calls] of Object.entries(after)) {
    if (command === 'info') continue
    const delta = calls - (before[command] ?? 0)
    if (delta > 0) {
      byCommand[command] = delta
      total += delta
    }
  }
  return { total, byCommand }
}

/** Deletes every key under `prefix` with SCAN + UNLINK; returns how many were removed. */
export async function deletePrefix(client, prefix) {
  let removed = 0
  const batch = []
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    batch.push(...keys)
    if (batch.length >= 1000) removed += await client.unlink(batch.splice(0))
  }
  if (batch.length > 0) removed += await client.unlink(batch)
  return removed
}
