// Summarises a V8 .cpuprofile written by `pnpm bench --profile`: the functions with the most
// self time, and inclusive time per package. Usage: node src/util/profile-summary.mjs <file> [top]
import { readFileSync } from 'node:fs'

const [file, topArg = '30'] = process.argv.slice(2)
if (!file) {
  console.log('usage: node src/util/profile-summary.mjs <file.cpuprofile> [top]')
  process.exit(1)
}
const profile = JSON.parse(readFileSync(file, 'utf8'))
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)

const timeByNode = new Map()
profile.samples.forEach((id, i) => {
  timeByNode.set(id, (timeByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
})

function packageOf(url) {
  const match = /\/packages\/([^/]+)\//.exec(url) ?? /node_modules\/\.pnpm\/([^/]+)\//.exec(url)
  return match?.[1] ?? null
}

function label(frame) {
  const where = frame.url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, 'packages/')
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`
}

let total = 0
const self = new Map()
const inclusive = new Map()
for (const [id, time] of timeByNode) {
  total += time
  const key = label(nodes.get(id).callFrame)
  self.set(key, (self.get(key) ?? 0) + time)
  const seen = new Set()
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const pkg = packageOf(nodes.get(cur).callFrame.url)
    if (pkg && !seen.has(pkg)) {
      seen.add(pkg)
      inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + time)
    }
  }
}

const share = (t) => `${((t / total) * 100).toFixed(1).padStart(5)} %`
console.log(`Self time (top ${topArg}):`)
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
  console.log(share(t), key)
console.log('\nInclusive time by package:')
for (const [key, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(share(t), key)
