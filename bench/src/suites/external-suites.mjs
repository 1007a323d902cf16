// The Bag, manager and Redis-command benchmarks are written by other people into bench/src;
// each runs when its file exists, in its own process, and is reported as unavailable otherwise.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startChild } from '../util/child-process.mjs'

const here = (name) => fileURLToPath(new URL(`../${name}`, import.meta.url))
const suiteChild = fileURLToPath(new URL('./suite-child.mjs', import.meta.url))

/** The helper-owned suites: file, exported function, and whether it takes `{ quick }`. */
export const externalSuites = [
  { id: 'bag', title: 'Bag', file: 'bag.mjs', exportName: 'runBagBench', takesOptions: true },
  { id: 'bag-xml', title: 'Bag XML', file: 'bag-xml.mjs', exportName: 'runBagXmlBench', takesOptions: true },
  {
    id: 'manager',
    title: 'Session manager',
    file: 'manager.mjs',
    exportName: 'runManagerBench',
    takesOptions: true,
  },
  {
    id: 'redis-commands',
    title: 'Redis commands per operation',
    file: 'redis-commands.mjs',
    exportName: 'runRedisCommandBench',
    takesOptions: false,
  },
]

/** Runs every suite; each entry is { id, title, status: 'ok' | 'unavailable' | 'failed', result | reason }. */
export async function runExternalSuites({ quick, only, log }) {
  const outcomes = []
  for (const suite of externalSuites) {
    if (only && !only.some((o) => suite.id.includes(o))) continue
    const path = here(suite.file)
    if (!existsSync(path)) {
      outcomes.push({
        id: suite.id,
        title: suite.title,
        status: 'unavailable',
        reason: `bench/src/${suite.file} not present`,
      })
      log(`  ${suite.id}: unavailable (bench/src/${suite.file} not present)`)
      continue
    }
    const options = suite.takesOptions ? JSON.stringify({ quick }) : '-'
    const child = startChild(suiteChild, { args: [path, suite.exportName, options] })
    const started = performance.now()
    try {
      const reply = await child.next('result', 300_000)
      const seconds = (performance.now() - started) / 1000
      if (reply.ok) {
        outcomes.push({ id: suite.id, title: suite.title, status: 'ok', seconds, result: reply.result })
        log(`  ${suite.id}: done in ${seconds.toFixed(1)} s`)
      } else {
        outcomes.push({
          id: suite.id,
          title: suite.title,
          status: 'failed',
          reason: reply.error.split('\n')[0],
        })
        log(`  ${suite.id}: FAILED ${reply.error.split('\n')[0]}`)
      }
    } catch (error) {
      outcomes.push({
        id: suite.id,
        title: suite.title,
        status: 'failed',
        reason: error.message.split('\n')[0],
      })
      log(`  ${suite.id}: FAILED ${error.message.split('\n')[0]}`)
    } finally {
      await child.stop()
    }
  }
  return outcomes
}
