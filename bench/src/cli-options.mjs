// Command-line options of `pnpm bench` and the durations each mode uses.
import { parseArgs } from 'node:util'

const usage = `Usage: pnpm bench [--quick] [--only a,b] [--skip http,memory,suites] [--reps N]
                  [--rounds N] [--duration S] [--warmup S] [--profile] [--no-build]
  --quick      smoke run (~2 min): 1 repetition, 1 round of 0.7 s windows, 20k sessions;
               writes <date>-quick.*
  --rounds     alternating window pairs per row, scenario and repetition (full run: 3)
  --duration   seconds measured per window (full run: 0.6)
  --only       run only HTTP targets / suites whose id contains one of these words
  --skip       leave out whole suites
  --profile    start servers with --cpu-prof (profiles in bench/results/profiles/)
  --no-build   do not build the workspace packages first`

/** Parses `argv` into the run configuration. */
export function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      skip: { type: 'string' },
      reps: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  const quick = values.quick
  const list = (v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null
  const skip = list(values.skip) ?? []
  return {
    quick,
    build: !values['no-build'],
    only: list(values.only),
    profile: values.profile,
    http: !skip.includes('http'),
    memory: !skip.includes('memory'),
    suites: !skip.includes('suites'),
    reps: values.reps ? Number(values.reps) : quick ? 1 : 3,
    // Each repetition measures a row against its bare server in `rounds` pairs of short windows
    // (order alternating: row-bare, bare-row, row-bare), and every pair gives one ratio: a burst
    // of other work on the shared cores then spoils one pair of nine, not a third of a row.
    rounds: values.rounds ? Number(values.rounds) : quick ? 1 : 3,
    // A fresh server's first windows ran its code half-compiled at 0.9 s (satchel S1 at ~250 µs
    // per request in a quick run against ~130 µs warm).
    serverWarmup: quick ? 1.8 : 2.4,
    warmup: values.warmup ? Number(values.warmup) : 0.2,
    duration: values.duration ? Number(values.duration) : quick ? 0.7 : 0.6,
    connections: 10,
    memorySessions: quick ? 20_000 : 100_000,
    sweepSessions: quick ? 5_000 : 10_000,
  }
}
