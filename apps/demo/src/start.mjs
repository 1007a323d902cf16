// Starts the Express and Koa demo apps in one process on one shared session store, prints their
// URLs, and on SIGINT/SIGTERM stops both and closes the store (the memory store dumps to its file).
import { once } from 'node:events'
import { createServer } from 'node:http'
import { readConfig } from './config.mjs'
import { createExpressApp } from './express-app.mjs'
import { createKoaApp } from './koa-app.mjs'
import { loadSecret } from './secret.mjs'
import { openStore } from './store.mjs'

async function open() {
  try {
    const config = readConfig()
    const secret = await loadSecret(config)
    return { config, secret, ...(await openStore(config)) }
  } catch (error) {
    console.error(`satchel demo: cannot start: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}

const { config, secret, store, label, close } = await open()
const sessionOptions = { secret, store }

const apps = [
  {
    framework: 'Express',
    port: config.expressPort,
    listener: (site) => createExpressApp(site, sessionOptions),
  },
  {
    framework: 'Koa',
    port: config.koaPort,
    listener: (site) => createKoaApp(site, sessionOptions).callback(),
  },
].filter((app) => app.port !== null)

for (const app of apps) {
  app.site = { framework: app.framework, store, storeLabel: label }
  app.server = createServer(app.listener(app.site)).listen(app.port, config.host)
  await once(app.server, 'listening')
  app.port = app.server.address().port
}
// Each page links to the same page on the other app (ports given as 0 are only known now).
for (const app of apps) {
  const other = apps.find((candidate) => candidate !== app)
  if (other) Object.assign(app.site, { otherFramework: other.framework, otherPort: other.port })
}

const shownHost = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? 'localhost' : config.host
console.log(`satchel demo: sessions in ${label}`)
for (const app of apps)
  console.log(`satchel demo: ${app.framework.padEnd(7)} http://${shownHost}:${app.port}/`)
console.log('satchel demo: ready (Ctrl+C to stop)')

let signals = 0
async function stop(signal) {
  // The first signal stops cleanly; pnpm may forward a second copy of it; a third forces exit.
  signals += 1
  if (signals === 3) process.exit(130)
  if (signals > 1) return
  console.log(`satchel demo: ${signal}, stopping`)
  const closed = apps.map((app) => new Promise((resolve) => app.server.close(resolve)))
  for (const app of apps) app.server.closeAllConnections()
  await Promise.all(closed)
  await close()
  console.log('satchel demo: stopped')
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(signal))
