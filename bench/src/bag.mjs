// Bag benchmarks (issue 3, check 4): path set/get and TYTX encode/decode of a 10k-node Bag,
// printed next to the Python reference figures of SPEC.md §17. Imports the BUILT package:
// run `pnpm --filter @satchel/bag build` first. Standalone: `node bench/src/bag.mjs [--quick]`.
import { pathToFileURL } from 'node:url'
import { Bag } from '@satchel/bag'

/** Python genro-bag 0.18.5 figures (ops/s or nodes/s), SPEC.md §17. */
const REFERENCE = {
  set: 147_000,
  get: 234_000,
  tytxJsonEncode: 580_000,
  tytxJsonDecode: 188_000,
  tytxJsonCompactEncode: 505_000,
  tytxJsonCompactDecode: 186_000,
  msgpackEncode: 199_000,
  msgpackDecode: 118_000,
  deepcopy: 322_000,
}

function paths(n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) out[i] = `a${i % 100}.b${i}`
  return out
}

/** The 10k-node Bag of SPEC §17: 100 branches × 99 leaves (ints with 2 attributes, strings with < and &, floats). */
export function tenKBag() {
  const bag = new Bag()
  for (let b = 0; b < 100; b++) {
    const branch = new Bag()
    for (let l = 0; l < 99; l++) {
      const k = l % 3
      if (k === 0) branch.set(`leaf${l}`, b * 1000 + l, { idx: l, kind: 'int' })
      else if (k === 1) branch.set(`leaf${l}`, `text <${l}> & more`, { idx: l, kind: 'str' })
      else branch.set(`leaf${l}`, l + 0.5, { idx: l, kind: 'float' })
    }
    bag.set(`branch${b}`, branch)
  }
  return bag
}

/** Best time (ms) of `runs` runs of fn after one warm-up. */
function best(fn, runs) {
  fn()
  let min = Number.POSITIVE_INFINITY
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    fn()
    const dt = performance.now() - t0
    if (dt < min) min = dt
  }
  return min
}

function row(name, ops, ms, reference, target) {
  const opsPerSec = Math.round((ops / ms) * 1000)
  return { name, opsPerSec, reference, ratio: Math.round((opsPerSec / reference) * 10) / 10, target }
}

/**
 * Runs the Bag benchmarks.
 * @param {{ quick?: boolean }} [opts] quick: fewer runs
 * @returns {Promise<{ name: string, opsPerSec: number, reference: number, ratio: number, target: number }[]>}
 */
export async function runBagBench({ quick = false } = {}) {
  const runs = quick ? 3 : 15
  const codecRuns = quick ? 5 : 25
  const rows = []
  const n = 100_000
  const ps = paths(n)
  let filled
  const setMs = best(() => {
    const bag = new Bag()
    for (let i = 0; i < n; i++) bag.set(ps[i], i)
    filled = bag
  }, runs)
  rows.push(row('set 100k nested paths a{i%100}.b{i}', n, setMs, REFERENCE.set, 10))
  let sink = 0
  const getMs = best(() => {
    for (let i = 0; i < n; i++) sink += filled.get(ps[i])
  }, runs)
  rows.push(row('get the same 100k paths', n, getMs, REFERENCE.get, 10))
  const staticMs = best(() => {
    for (let i = 0; i < n; i++) sink += filled.get(ps[i], undefined, { static: true })
  }, runs)
  rows.push(row('get the same paths (static)', n, staticMs, 240_000, 10))

  const big = tenKBag()
  const nodes = 10_000
  const json = big.toTytx()
  const compact = big.toTytx({ compact: true })
  const mp = big.toTytx({ transport: 'msgpack' })
  rows.push(
    row(
      'toTytx JSON (10k nodes)',
      nodes,
      best(() => big.toTytx(), codecRuns),
      REFERENCE.tytxJsonEncode,
      5,
    ),
  )
  rows.push(
    row(
      'fromTytx JSON (10k nodes)',
      nodes,
      best(() => Bag.fromTytx(json), codecRuns),
      REFERENCE.tytxJsonDecode,
      5,
    ),
  )
  rows.push(
    row(
      'toTytx JSON compact (10k nodes)',
      nodes,
      best(() => big.toTytx({ compact: true }), codecRuns),
      REFERENCE.tytxJsonCompactEncode,
      5,
    ),
  )
  rows.push(
    row(
      'fromTytx JSON compact (10k nodes)',
      nodes,
      best(() => Bag.fromTytx(compact), codecRuns),
      REFERENCE.tytxJsonCompactDecode,
      5,
    ),
  )
  rows.push(
    row(
      'toTytx msgpack (10k nodes)',
      nodes,
      best(() => big.toTytx({ transport: 'msgpack' }), codecRuns),
      REFERENCE.msgpackEncode,
      5,
    ),
  )
  rows.push(
    row(
      'fromTytx msgpack (10k nodes)',
      nodes,
      best(() => Bag.fromTytx(mp), codecRuns),
      REFERENCE.msgpackDecode,
      5,
    ),
  )
  rows.push(
    row(
      'deepcopy (10k nodes)',
      nodes,
      best(() => big.deepcopy(), codecRuns),
      REFERENCE.deepcopy,
      5,
    ),
  )
  if (sink === -1) console.log(sink)
  return rows
}

/** Prints rows as a table. */
export function printBagRows(rows) {
  console.log('Bag benchmarks (ops/s; reference = Python genro-bag, SPEC.md §17)')
  console.table(
    rows.map((r) => ({
      benchmark: r.name,
      'ops/s': r.opsPerSec.toLocaleString('en-US'),
      reference: r.reference.toLocaleString('en-US'),
      ratio: `${r.ratio}×`,
      target: `≥${r.target}×`,
      ok: r.ratio >= r.target ? 'yes' : 'NO',
    })),
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runBagBench({ quick: process.argv.includes('--quick') })
  printBagRows(rows)
  const { loadavg, cpus } = await import('node:os')
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (ratios shrink on a loaded machine)`,
  )
}
