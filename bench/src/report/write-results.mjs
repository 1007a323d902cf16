// Writes bench/results/<date>[-quick].md and .json, and puts a full run's tables in the README.
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { httpTables } from './http-tables.mjs'
import { renderMarkdown } from './markdown.mjs'
import { memoryTables, targetsTable } from './other-tables.mjs'

const benchDir = fileURLToPath(new URL('../../', import.meta.url))
const start = '<!-- latest-results:start -->'
const end = '<!-- latest-results:end -->'

/** Writes the files; returns their paths. The README is updated only for a full, unfiltered run. */
export async function writeResults(results, { updateReadme }) {
  const name = `${results.date}${results.quick ? '-quick' : ''}`
  const md = `${benchDir}results/${name}.md`
  const json = `${benchDir}results/${name}.json`
  await writeFile(md, renderMarkdown(results))
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`)
  const written = [md, json]
  if (updateReadme) {
    const readmePath = `${benchDir}README.md`
    const readme = await readFile(readmePath, 'utf8')
    const from = readme.indexOf(start)
    const to = readme.indexOf(end)
    if (from !== -1 && to > from) {
      const block = [
        start,
        `Latest full run: ${results.date}, \`${results.command}\`, commit ${results.environment.commit}, ` +
          `${results.config.reps} repetition(s) × ${results.config.rounds ?? 1} round(s), load average ${results.environment.loadAverage[0].toFixed(1)} at start ` +
          `([results/${name}.md](results/${name}.md)).`,
        '',
        '### Targets',
        '',
        targetsTable(results.targets),
        '',
        results.http ? httpTables(results.http) : '',
        '',
        '### Memory: bytes per idle session, and sweeping',
        '',
        results.memory ? memoryTables(results.memory) : '',
        '',
        `The Bag, manager and Redis-command suites are in the results file.`,
        '',
      ].join('\n')
      await writeFile(readmePath, readme.slice(0, from) + block + readme.slice(to))
      written.push(readmePath)
    }
  }
  return written
}
