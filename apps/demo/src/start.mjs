// Starts the Express and Koa demo apps in one process on one shared session store, prints their
// URLs, and on SIGINT/SIGTERM stops both and closes the store (the memory store dumps to its file).
import { once } from 'node:events'
import { createServer } from 'node:http'
import { createSessionManager } from '@satchel/session-core'
import { readConfig } from './config.mjs'
import { logSessionEvents } from './event-log.mjs'
import { createExpressApp } from './express-app.mjs'
import { createKoaApp } from './koa-app.mjs'
import { loadSecret } from './secret.mjs'
import { openStore } from './store.mjs'

async function open() {
  try {
    const config = readConfig()
    const secret = await loadSecret(config)
    const opened = await openStore(config)
    try {
      // One manager on one store serves both apps: a session started on one is the session on the other.
      return { config, manager: createSessionManager({ secret, store: opened.store }), ...opened }
    } catch (error) {
      await opened.close()
      throw error
    }
  } catch (error) {
    console.error(`satchel demo: cannot start: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}

const { config, manager, store, label, close } = await open()
logSessionEvents(manager)

const apps = [
  {
    framework: 'Express',
    port: config.expressPort,
    listener: (site) => createExpressApp(site, manager),
  },
  {
    framework: 'Koa',
    port: config.koaPort,
    listener: (site) => createKoaApp(site, manager).callback(),
  },
].filter((app) => app.port !== null)

for (const app of apps) {
  app.site = { framework: app.framework, store, storeLabel: label }
  app.server = createServer(app.listener(app.site)).listen(app.port, config.host)
  try {
    await once(app.server, 'listening')
  } catch (error) {
    const variable = app.framework === 'Express' ? 'EXPRESS_PORT' : 'KOA_PORT'
    console.error(
      `satchel demo: cannot listen on ${config.host}:${app.port} (${error.code ?? error.message}); set ${variable}`,
    )
    await close()
    process.exit(1)
  }
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
  try {
    await manager.close()
    await close()
  } catch (error) {
    console.error(
      `satchel demo: could not close the store: ${error instanceof Error ? error.message : String(error)}`,
    )
    process.exit(1)
  }
  console.log('satchel demo: stopped')
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(signal))
