// Express servers, one per target. Every app answers /init (write n = 1), /read and /write.
import express from 'express'

function bareApp() {
  const app = express()
  let n = 0
  app.get('/init', (_req, res) => {
    res.send('1')
  })
  app.get('/read', (_req, res) => {
    res.send(String(n))
  })
  app.get('/write', (_req, res) => {
    n += 1
    res.send(String(n))
  })
  return app
}

/** Routes for a session whose values are reached through `get(req)` / `set(req, n)`. */
function sessionRoutes(app, get, set) {
  app.get('/init', (req, res) => {
    set(req, 1)
    res.send('1')
  })
  app.get('/read', (req, res) => {
    res.send(String(get(req) ?? 0))
  })
  app.get('/write', (req, res) => {
    const n = (get(req) ?? 0) + 1
    set(req, n)
    res.send(String(n))
  })
  return app
}

/** Bare Express plus one middleware that does nothing: what any middleware costs Express. */
function noopMiddlewareApp() {
  const app = express()
  app.use((_req, _res, next) => next())
  let n = 0
  return sessionRoutes(
    app,
    () => n,
    (_req, value) => {
      n = value
    },
  )
}

async function satchelApp({ store }) {
  const { sessionMiddleware } = await import('@satchel/session-express')
  const app = express()
  app.use(sessionMiddleware({ secret: process.env.BENCH_SECRET, store }))
  return sessionRoutes(
    app,
    (req) => req.session.data.get('n'),
    (req, n) => req.session.data.set('n', n),
  )
}

async function expressSessionApp({ store }) {
  const { default: session } = await import('express-session')
  const app = express()
  app.use(session({ secret: process.env.BENCH_SECRET, resave: false, saveUninitialized: false, store }))
  return sessionRoutes(
    app,
    (req) => req.session.n,
    (req, n) => {
      req.session.n = n
    },
  )
}

/**
 * Diagnostic apps (not suite rows): satchel's Express glue taken apart, to see what each step
 * costs a server. `steps` picks which of open / attach / commit the middleware runs.
 */
async function glueApp(steps) {
  const core = await import('@satchel/session-core')
  const manager = core.createSessionManager({
    secret: process.env.BENCH_SECRET,
    store: new core.MemorySessionStore(),
  })
  const open = core.sessionOpener(manager)
  const accessors = core.sessionAccessors()
  const app = express()
  app.get('/init', async (req, res) => {
    const handle = await manager.open(core.requestInput(req))
    handle.session.data.set('n', 1)
    res.setHeader('set-cookie', await handle.commit())
    res.send('1')
  })
  app.use((req, res, next) => {
    if (steps.includes('input')) void core.requestInput(req).cookie
    const handle = steps.includes('open') ? open(core.requestInput(req)) : undefined
    if (steps.includes('attach')) core.attachSession(req, handle, accessors)
    if (steps.includes('commit')) core.commitBeforeHead(res, () => handle.settle(), next)
    next()
  })
  app.get('/read', (_req, res) => {
    res.send('1')
  })
  return app
}

/** Builds the Express app for `targetId`; `deps` holds the Redis client and key prefix. */
export async function buildExpressApp(targetId, deps) {
  switch (targetId) {
    case 'express-bare':
      return bareApp()
    // Not a suite row (see targets.mjs): a reference for compare.mjs and the instruction counts.
    case 'express-noop':
      return noopMiddlewareApp()
    case 'express-glue-input':
      return glueApp(['input'])
    case 'express-glue-open':
      return glueApp(['open'])
    case 'express-glue-attach':
      return glueApp(['open', 'attach'])
    case 'express-glue-commit':
      return glueApp(['open', 'commit'])
    case 'express-satchel-idle': {
      // satchel's middleware, routes that never touch the session: what the binding costs alone.
      const { sessionMiddleware } = await import('@satchel/session-express')
      const { MemorySessionStore } = await import('@satchel/session-core')
      const app = express()
      app.use(sessionMiddleware({ secret: process.env.BENCH_SECRET, store: new MemorySessionStore() }))
      app.get('/init', (req, res) => {
        req.session.data.set('n', 1)
        res.send('1')
      })
      app.get('/read', (_req, res) => {
        res.send('1')
      })
      return app
    }
    case 'express-satchel-memory': {
      const { MemorySessionStore } = await import('@satchel/session-core')
      return satchelApp({ store: new MemorySessionStore() })
    }
    case 'express-satchel-redis': {
      const { RedisSessionStore } = await import('@satchel/session-redis')
      return satchelApp({ store: new RedisSessionStore({ client: await deps.redis(), prefix: deps.prefix }) })
    }
    case 'express-session-memory': {
      const { MemoryStore } = await import('express-session')
      return expressSessionApp({ store: new MemoryStore() })
    }
    case 'express-session-redis': {
      const { RedisStore } = await import('connect-redis')
      return expressSessionApp({ store: new RedisStore({ client: await deps.redis(), prefix: deps.prefix }) })
    }
    default:
      throw new Error(`unknown express target ${targetId}`)
  }
}
