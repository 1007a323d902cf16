// Runs one helper-owned benchmark module in its own process. argv: <module> <export> <options JSON | ->.
// Replies `result` with { ok, result } or { ok: false, error }.
import { pathToFileURL } from 'node:url'

const [modulePath, exportName, optionsJson] = process.argv.slice(2)
try {
  const module = await import(pathToFileURL(modulePath).href)
  const run = module[exportName]
  if (typeof run !== 'function') throw new Error(`${modulePath} does not export a function ${exportName}`)
  const result = optionsJson === '-' ? await run() : await run(JSON.parse(optionsJson))
  process.send({ type: 'result', ok: true, result: JSON.parse(JSON.stringify(result ?? null)) })
} catch (error) {
  process.send({ type: 'result', ok: false, error: String(error?.stack ?? error) })
}
process.disconnect()
setTimeout(() => process.exit(0), 100).unref()
