// The targets, checked against one run's rows. A target without a measurement is
// reported as "not measured", never as met.

function row(rows, target, scenario) {
  return rows.find((r) => r.target === target && r.scenario === scenario)
}

function check(name, measuredOn, value, limit, compare, unit = '', crossCheck = null) {
  const met = value === null || value === undefined ? null : compare === '≥' ? value >= limit : value <= limit
  return { name, measuredOn, value: value ?? null, limit: `${compare} ${limit}${unit}`, met, crossCheck }
}

/** Returns one entry per target: { name, measuredOn, value, limit, met: true | false | null }. */
export function checkTargets({ rows, memory }) {
  const ratio = (t, s) => row(rows, t, s)?.ratioToBare
  const byCpu = (t, s) => {
    const r = row(rows, t, s)?.cpuRatioToBare
    return r === null || r === undefined ? null : `${r.toFixed(2)} by CPU`
  }
  const added = (t, s) => row(rows, t, s)?.addedCpuPerRequest
  const redis = (t, s) => row(rows, t, s)?.redisPerRequest
  const sent = (t, s) => row(rows, t, s)?.redisSentPerRequest
  const checks = [
    check(
      'Express S1 read ≥ 0.85 × bare',
      'satchel, memory store',
      ratio('express-satchel-memory', 'S1'),
      0.85,
      '≥',
      '',
      byCpu('express-satchel-memory', 'S1'),
    ),
    check(
      'Express S2 write ≥ 0.80 × bare',
      'satchel, memory store',
      ratio('express-satchel-memory', 'S2'),
      0.8,
      '≥',
      '',
      byCpu('express-satchel-memory', 'S2'),
    ),
    check(
      'Express S3 new ≥ 0.75 × bare',
      'satchel, memory store',
      ratio('express-satchel-memory', 'S3'),
      0.75,
      '≥',
      '',
      byCpu('express-satchel-memory', 'S3'),
    ),
    check(
      'Koa S1 read ≥ 0.55 × bare',
      'satchel, memory store',
      ratio('koa-satchel-memory', 'S1'),
      0.55,
      '≥',
      '',
      byCpu('koa-satchel-memory', 'S1'),
    ),
    check(
      'Added server CPU for a read ≤ 15 µs',
      'Express, memory store',
      added('express-satchel-memory', 'S1'),
      15,
      '≤',
      ' µs',
    ),
    check(
      'Added server CPU for a read ≤ 15 µs',
      'Koa, memory store',
      added('koa-satchel-memory', 'S1'),
      15,
      '≤',
      ' µs',
    ),
    check(
      'Redis commands sent per read ≤ 1.0',
      'Express, Redis store',
      sent('express-satchel-redis', 'S1'),
      1,
      '≤',
    ),
    check('Redis commands sent per read ≤ 1.0', 'Koa, Redis store', sent('koa-satchel-redis', 'S1'), 1, '≤'),
    check(
      'Redis commands per read ≤ 1.0, counted by INFO commandstats (includes those run inside Lua scripts)',
      'Express, Redis store',
      redis('express-satchel-redis', 'S1'),
      1,
      '≤',
    ),
    check(
      'Redis commands per read ≤ 1.0, counted by INFO commandstats (includes those run inside Lua scripts)',
      'Koa, Redis store',
      redis('koa-satchel-redis', 'S1'),
      1,
      '≤',
    ),
  ]
  const heapOf = (store) => memory?.heap.find((h) => h.store === store && !h.error)?.bytesPerSession
  const mine = heapOf('satchel')
  const peer = heapOf('express-session')
  checks.push({
    name: 'Heap per idle session ≤ express-session MemoryStore',
    measuredOn: peer === undefined ? 'MemoryStore not measured' : `MemoryStore: ${Math.round(peer)} B`,
    value: mine ?? null,
    limit: peer === undefined ? '≤ MemoryStore' : `≤ ${Math.round(peer)} B`,
    met: mine === undefined || peer === undefined ? null : mine <= peer,
  })
  const sweep = memory?.sweep.find((s) => s.store === 'satchel' && !s.error)
  checks.push({
    name: 'Expired sessions swept',
    measuredOn: 'satchel MemorySessionStore',
    value: sweep ? `${sweep.heldBefore} → ${sweep.heldAfter}` : null,
    limit: 'all removed with no request',
    met: sweep ? sweep.swept : null,
  })
  return checks
}
