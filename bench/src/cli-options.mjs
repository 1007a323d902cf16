// Command-line options of `pnpm bench` and the durations each mode uses.
import { parseArgs } from 'node:util'

const usage = `Usage: pnpm bench [--quick] [--only a,b] [--skip http,memory,suites] [--reps N]
                  [--duration S] [--warmup S] [--profile] [--no-build]
  --quick      smoke run (~2 min): 1 repetition, 0.7 s windows, 20k sessions; writes <date>-quick.*
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
    serverWarmup: quick ? 0.9 : 2.4,
    warmup: values.warmup ? Number(values.warmup) : quick ? 0.2 : 0.4,
    duration: values.duration ? Number(values.duration) : quick ? 0.7 : 1.8,
    connections: 10,
    memorySessions: quick ? 20_000 : 100_000,
    sweepSessions: quick ? 5_000 : 10_000,
  }
}
